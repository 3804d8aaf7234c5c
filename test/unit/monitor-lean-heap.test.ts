import v8 from 'node:v8';
import { describe, expect, it } from 'vitest';
import { leanHeap } from '../../src/tasks/monitor/lean-heap.js';

const youngGeneration = () => v8.getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_size;

/**
 * What a refresh of many sessions does to V8's young generation: most of what it allocates survives a scavenge
 * or two (the newest rows are kept until the next ones replace them), which is what makes V8 grow it.
 */
function churn(): void {
  const kept: object[][] = [];
  for (let round = 0; round < 100; round += 1) {
    kept.push(Array.from({ length: 10_000 }, (_, i) => ({ pid: i, query: `select ${i}` })));
    if (kept.length > 20) kept.shift();
  }
}

describe('the Monitor screen’s lean heap (issue 18: resident memory below 80 MB over hours)', () => {
  it('keeps the young generation from growing while a screen holds it, and lets it grow again after', () => {
    const releaseFirst = leanHeap();
    const releaseSecond = leanHeap();
    const before = youngGeneration();
    churn();
    expect(youngGeneration()).toBeLessThanOrEqual(before);

    // One of two holders gone (a screen left while another still shows): still lean.
    releaseFirst();
    releaseFirst();
    churn();
    expect(youngGeneration()).toBeLessThanOrEqual(before);

    // The last one gone: V8's defaults again, as a backup started from the wizard afterwards needs.
    releaseSecond();
    churn();
    expect(youngGeneration()).toBeGreaterThan(before);
  });
});
