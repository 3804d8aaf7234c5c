import { describe, expect, it } from 'vitest';
import { pgtune } from '../../src/tasks/checkup/rules/pgtune.js';
import { formatPgMemory } from '../../src/tasks/checkup/units.js';

/**
 * What pgtune.leopard.in.ua prints for "DB Type: web, OS: linux, Data Storage: ssd" with no connection or CPU
 * count (so max_connections 200 and max_worker_processes 8), worked out by hand from PGTune's published
 * formulas (le0pard/pgtune, src/features/configuration/configurationSlice.js) and its formatValue(), which
 * prints kB in the largest unit that divides it exactly:
 *   shared_buffers = floor(kB / 4); effective_cache_size = floor(kB × 3 / 4);
 *   maintenance_work_mem = min(floor(kB / 16), 8 GB);
 *   work_mem = max(floor((kB − shared_buffers) / ((200 + 8) × 3)), 4 MB).
 * e.g. 16 GB: (16777216 − 4194304) / 624 = 20164.9… → 20164kB.
 */
const PUBLISHED = [
  { ram: 1, shared_buffers: '256MB', effective_cache_size: '768MB', maintenance_work_mem: '64MB', work_mem: '4MB', huge_pages: 'off' },
  { ram: 4, shared_buffers: '1GB', effective_cache_size: '3GB', maintenance_work_mem: '256MB', work_mem: '5041kB', huge_pages: 'off' },
  { ram: 16, shared_buffers: '4GB', effective_cache_size: '12GB', maintenance_work_mem: '1GB', work_mem: '20164kB', huge_pages: 'try' },
  { ram: 64, shared_buffers: '16GB', effective_cache_size: '48GB', maintenance_work_mem: '4GB', work_mem: '80659kB', huge_pages: 'try' },
];

describe("PGTune's web-application profile", () => {
  for (const expected of PUBLISHED) {
    it(`gives PGTune's numbers for a ${expected.ram} GB database host`, () => {
      const advice = pgtune({ ramKb: expected.ram * 1024 * 1024 });
      expect({
        ram: expected.ram,
        shared_buffers: formatPgMemory(advice.sharedBuffersKb),
        effective_cache_size: formatPgMemory(advice.effectiveCacheSizeKb),
        maintenance_work_mem: formatPgMemory(advice.maintenanceWorkMemKb),
        work_mem: formatPgMemory(advice.workMemKb),
        huge_pages: advice.hugePages,
      }).toEqual(expected);
    });
  }

  it('caps maintenance_work_mem at 8 GB on a 256 GB host, as PGTune does', () => {
    expect(formatPgMemory(pgtune({ ramKb: 256 * 1024 * 1024 }).maintenanceWorkMemKb)).toBe('8GB');
  });

  it('counts the real max_connections and workers into work_mem', () => {
    // 16 GB with PostgreSQL's default 100 connections: 12582912 / ((100 + 8) × 3) = 38836.1… → 38836kB
    expect(formatPgMemory(pgtune({ ramKb: 16 * 1024 * 1024, maxConnections: 100, workers: 8 }).workMemKb)).toBe('38836kB');
  });

  it('sets random_page_cost 1.1 on SSD and 4 on spinning disks', () => {
    expect(pgtune({ ramKb: 1024 * 1024, ssd: true }).randomPageCost).toBe(1.1);
    expect(pgtune({ ramKb: 1024 * 1024, ssd: false }).randomPageCost).toBe(4);
  });
});
