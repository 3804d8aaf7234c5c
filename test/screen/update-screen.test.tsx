import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { KEY, press, waitForFrame, waitForText, pressAndWait } from './helpers.js';
import { fakeServices, readNotes, renderUpdate } from './update-fakes.js';

afterEach(() => cleanup());

const screen = renderUpdate;

describe('the Update screen', () => {
  it('will not start before the notes were scrolled to their end and acknowledged; asks with No as default; runs the steps to the summary', async () => {
    const services = fakeServices();
    const app = screen(services);
    let frame = await waitForText(app, 'Pre-flight');
    expect(frame).toContain('Update · 2021.12.20 → 2022.06.15 (37 commit(s), 3 release(s))');
    expect(frame).toContain('✓ server stopped');
    expect(frame).toContain('! notes: 3 release(s), 3 with admin');
    expect(frame).toContain('· backup before the first step, into');
    expect(frame).toContain('2021.12.21');
    expect(frame).not.toContain('LAST NOTE');
    expect(frame).toContain('↓ scroll to the end to acknowledge');
    expect(frame).toContain('· git checkout 2022.06.15');
    expect(frame).toContain('· manage.py collectstatic -l');
    expect(frame).toContain('read the release notes to their end and acknowledge them (r) before updating');

    // r and u do nothing before the end of the notes.
    frame = await pressAndWait(app, 'r', 'u');
    expect(frame).not.toContain('[ read ✓ ]');
    expect(frame).not.toContain('Yes, update');

    await press(app, 'G');
    frame = await waitForText(app, 'LAST NOTE');
    await press(app, 'r');
    frame = await waitForText(app, '[ read ✓ ]');
    expect(frame).toContain('ready: u or ⏎ starts the update');

    await press(app, 'u');
    frame = await waitForText(app, 'Yes, update');
    expect(frame).toContain('› No');
    await press(app, KEY.enter);
    await waitForFrame(app, (f) => !f.includes('Yes, update'));
    expect(services.calls.run).toHaveLength(0);

    await press(app, KEY.enter);
    await waitForText(app, 'Yes, update');
    await press(app, 'y');
    frame = await waitForText(app, 'Updated 2021.12.20 → 2022.06.15; 2 migration(s) applied');
    expect(services.calls.run).toHaveLength(1);
    expect(frame).toMatch(/✓ backup +\d+\.\d s/);
    for (const step of ['git checkout 2022.06.15', 'pip install -r requirements.txt', 'manage.py migrate --plan', 'manage.py migrate', 'manage.py collectstatic -l', 'manage.py check']) {
      expect(frame).toMatch(new RegExp(`✓ ${step.replace(/[.-]/g, '\\$&')} +0\\.2 s`));
    }
    expect(frame).toContain('backup from before: /var/backups/catmaid/catmaid_202611250300_3f2a9c1.sql');
    expect(frame).toContain('now restart: systemctl restart catmaid.service');
    expect(frame).toContain('log: /var/log/test/update.log');
    expect(frame).toContain('output of check');
  });

  it('on a failed step: ✗ with its last lines and the choice; l shows the full log; r retries from that step', async () => {
    const services = fakeServices({ failAt: 4 });
    const app = screen(services);
    await readNotes(app);
    await press(app, 'u', 'y');
    let frame = await waitForText(app, 'r retry · l log · b roll back');
    expect(frame).toMatch(/✗ manage\.py migrate +0\.2 s +django\.db\.utils\.ProgrammingError/);
    expect(frame).toMatch(/✓ manage\.py migrate --plan/);
    expect(frame).toMatch(/· manage\.py collectstatic -l/);
    expect(frame).toContain('| django.db.utils.ProgrammingError: division by zero');
    expect(frame).toContain('step failed: manage.py migrate');

    await press(app, 'l');
    frame = await waitForText(app, 'Log (l: back to the steps)');
    expect(frame).not.toContain('┌ Steps');
    expect(frame).toContain('$ manage.py migrate --plan');
    await press(app, 'l');
    await waitForText(app, '┌ Steps');

    await press(app, 'r');
    frame = await waitForText(app, 'Updated 2021.12.20 → 2022.06.15');
    expect(services.calls.run).toHaveLength(2);
    expect(services.calls.run[1].fromStep).toBe(4);
    expect(services.calls.run[1].journal?.backup).toBe('/var/backups/catmaid/catmaid_202611250300_3f2a9c1.sql');
    expect(frame).toMatch(/✓ manage\.py migrate +0\.2 s/);
  });

  it('b rolls back only after the database name is typed; x leaves it as is and says how to roll back later', async () => {
    const services = fakeServices({ failAt: 2 });
    const app = screen(services);
    await readNotes(app);
    await press(app, 'u', 'y');
    await waitForText(app, 'b roll back');
    await press(app, 'b');
    let frame = await waitForText(app, 'Type catmaid to confirm');
    expect(frame).toContain('Roll back: commit 3f2a9c1, its requirements, and restore');
    expect(frame).toContain('/var/backups/catmaid/catmaid_202611250300_3f2a9c1.sql over database catmaid.');
    await press(app, 'c', 'a', 't', KEY.enter);
    await waitForText(app, 'that is not "catmaid"');
    expect(services.calls.rollback).toHaveLength(0);
    await press(app, KEY.esc);
    await waitForFrame(app, (f) => !f.includes('Type catmaid'));

    await press(app, 'x');
    frame = await waitForText(app, 'left as is · roll back later: catmaid-tui -C /srv/catmaid update --rollback');

    const again = fakeServices({ failAt: 2 });
    cleanup();
    const second = screen(again);
    await readNotes(second);
    await press(second, 'u', 'y');
    await waitForText(second, 'b roll back');
    await press(second, 'b');
    await waitForText(second, 'Type catmaid to confirm');
    await press(second, ...'catmaid'.split(''), KEY.enter);
    frame = await waitForText(second, 'rolled back');
    expect(again.calls.rollback).toHaveLength(1);
    expect(again.calls.rollback[0].confirmed).toBe(true);
    expect(frame).toContain('code back at 2021.12.20 (master)');
    expect(frame).toContain('Roll back · Update');
  });

  it('Esc while a step runs asks first; No goes on, Yes stops the step and offers the failure choice', async () => {
    const services = fakeServices({ holdAt: 3 });
    const app = screen(services);
    await readNotes(app);
    await press(app, 'u', 'y');
    await waitForText(app, 'output of migrate-plan');
    await press(app, KEY.esc);
    let frame = await waitForText(app, 'Stop the running step?');
    expect(frame).toContain('› No');
    await press(app, 'n');
    frame = await waitForFrame(app, (f) => !f.includes('Stop the running step?'));
    expect(frame).toMatch(/manage\.py migrate --plan/);
    await press(app, KEY.esc);
    await waitForText(app, 'Stop the running step?');
    await press(app, 'y');
    frame = await waitForText(app, 'r retry · l log · b roll back');
    expect(frame).toMatch(/✗ manage\.py migrate --plan/);
  });

  it('a refusal (server running) blocks the start, names the override, and A checks again allowing it', async () => {
    const services = fakeServices({
      checks: [
        { id: 'server', status: 'fail', title: 'server running: gunicorn 4021', detail: ['Stop it first: requests during migrations see a half-updated database.'], override: '--allow-running' },
        { id: 'git-clean', status: 'ok', title: 'working tree clean' },
      ],
    });
    const app = screen(services);
    let frame = await waitForText(app, 'server running');
    expect(frame).toContain('✗ server running: gunicorn 4021');
    expect(frame).toContain('(override: --allow-running)');
    expect(frame).toContain('Stop it first');
    expect(frame).toContain('refused: server running: gunicorn 4021 — fix it, then c to check again');
    expect(await pressAndWait(app, 'G', 'r', 'u')).not.toContain('Yes, update');
    await press(app, 'A');
    frame = await waitForText(app, '✓ server stopped');
    expect(services.calls.preflight.at(-1)?.allowRunning).toBe(true);
    expect(frame).not.toContain('refused');
  });
});
