import fs from 'node:fs';
import { cleanup } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Checkup } from '../../src/screens/Checkup.js';
import { discoverInstance, locateInstance } from '../../src/tasks/instance/index.js';
import type { InstanceInfo } from '../../src/tasks/instance/types.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { press, waitForFrame, waitForQuiet } from './helpers.js';
import { burst, testScreen, wizard } from './race-helpers.js';

/**
 * The Checkup inside the wizard, on an instance left in debug mode: the key that asks to apply a fix and the
 * answer right after it, without a render in between, go to the question (not to the list, not to the shell).
 */
let sb: TestSandbox;
let info: InstanceInfo;
beforeAll(async () => {
  sb = await createTestSandbox();
  const first = await discoverInstance(await locateInstance({ catmaidDir: sb.root }), { processes: false });
  fs.appendFileSync(first.layout.settingsPy, '\nDEBUG = True\n');
  info = await discoverInstance(await locateInstance({ catmaidDir: sb.root }), { processes: false });
});
afterEach(() => cleanup());
afterAll(async () => {
  await sb?.destroy();
});

const selectedLine = (frame: string) => frame.split('\n').find((line) => line.startsWith(' › ')) ?? '';

/** The checkup run, with DEBUG selected. */
async function onDebug() {
  const services = { options: { samples: 2, intervalSeconds: 0.1, workers: 4 }, exportDir: () => sb.root };
  const { app, quit } = wizard(testScreen('Checkup', (props) => <Checkup {...props} services={services} />), info);
  await waitForFrame(app, (f) => f.includes('sampled 2 × 0.1 s'), 10_000);
  for (let i = 0; i < 40 && !selectedLine(app.lastFrame() ?? '').includes('DEBUG'); i++) await press(app, 'j');
  await waitForFrame(app, (f) => selectedLine(f).includes('DEBUG') && f.includes('fix (a to apply):'));
  return { app, quit };
}

describe('Checkup: keys right after a', () => {
  it('Esc right after a cancels the question; the Checkup stays and nothing is applied', async () => {
    const { app } = await onDebug();
    burst(app, 'a', '\x1b');
    const frame = await waitForQuiet(app);
    expect(frame).toContain('fix (a to apply):');
    expect(frame).not.toContain('Apply django.debug');
    expect(fs.readFileSync(info.layout.settingsPy, 'utf8')).not.toContain('checkup-debug');
  });

  it('a and y in one chunk apply the fix', async () => {
    const { app } = await onDebug();
    burst(app, 'ay');
    await waitForFrame(app, (f) => f.includes('django.debug applied'), 10_000);
    expect(fs.readFileSync(info.layout.settingsPy, 'utf8')).toContain('# >>> catmaid-tui: checkup-debug >>>');
  });
});
