import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Checkup } from '../../src/screens/Checkup.js';
import { discoverInstance, locateInstance } from '../../src/tasks/instance/index.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { press, waitForFrame, waitForText } from './helpers.js';

/**
 * The admin opens the checkup on an instance left in debug mode, watches the sampling, walks down to DEBUG,
 * reads why, applies the fix after saying yes, sees the check pass on the rerun, and exports the report.
 */
let sb: TestSandbox;
let exportDir: string;
beforeAll(async () => {
  sb = await createTestSandbox();
  exportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'checkup-export-'));
});
afterEach(() => cleanup());
afterAll(async () => {
  await sb?.destroy();
  fs.rmSync(exportDir, { recursive: true, force: true });
});

/** The list marks the selected row with › in its first column (the info symbol › comes later in a line). */
const selectedLine = (frame: string) => frame.split('\n').find((line) => line.startsWith(' › ')) ?? '';

describe('the Checkup screen', () => {
  it('applies the DEBUG fix from the list and shows it passing, then exports Markdown', async () => {
    const first = await discoverInstance(await locateInstance({ catmaidDir: sb.root }), { processes: false });
    fs.appendFileSync(first.layout.settingsPy, '\nDEBUG = True\n');
    const info = await discoverInstance(await locateInstance({ catmaidDir: sb.root }), { processes: false });
    const services = { options: { samples: 3, intervalSeconds: 0.2, workers: 4 }, exportDir: () => exportDir };
    const app = render(<Checkup info={info} active width={100} height={30} services={services} />);

    expect(await waitForText(app, 'sampling connections')).toMatch(/sampling connections \d\/3/);
    let frame = await waitForFrame(app, (f) => f.includes('sampled 3 × 0.2 s'), 10_000);
    expect(frame).toContain('Database');
    expect(frame).toMatch(/Django\s+✗ DEBUG\s+True → False/);

    for (let i = 0; i < 40 && !selectedLine(app.lastFrame() ?? '').includes('DEBUG'); i++) await press(app, 'j');
    frame = await waitForFrame(app, (f) => selectedLine(f).includes('DEBUG') && f.includes('django.debug · fail'));
    expect(frame).toContain('DEBUG = True keeps every SQL query');
    expect(frame).toContain('fix (a to apply):');

    await press(app, 'a');
    await waitForText(app, 'Apply django.debug: DEBUG = False?');
    await press(app, 'y');
    await waitForFrame(app, (f) => f.includes('django.debug applied'), 10_000);
    await waitForFrame(app, (f) => /Django\s+✓ DEBUG\s+False/.test(f), 15_000);
    expect(fs.readFileSync(info.layout.settingsPy, 'utf8')).toContain('# >>> catmaid-tui: checkup-debug >>>');

    await press(app, 'e');
    expect(await waitForText(app, 'exported:')).toContain(exportDir);
    const [file] = fs.readdirSync(exportDir);
    expect(fs.readFileSync(path.join(exportDir, file), 'utf8')).toMatch(/^# catmaid-tui checkup/);
  });
});
