import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Restore } from '../../src/screens/Restore.js';
import { Schedule } from '../../src/screens/Schedule.js';
import { Update } from '../../src/screens/Update.js';
import { fakeRestoreServices, fakeScheduleServices, info as restoreInfo } from './backup-fakes.js';
import { KEY, press, waitForFrame, waitForQuiet, waitForText } from './helpers.js';
import { burst, testScreen, wizard } from './race-helpers.js';
import { fakeServices as fakeUpdateServices, info as updateInfo, readNotes } from './update-fakes.js';

/**
 * Restore, Update and Schedule, inside the wizard: the key that asks a question, opens a view or starts the work, and the
 * keys right after it without a render in between (tmux send-keys, a paste, a fast typist over SSH). They go to
 * what that key opened, never to the old view's keys or to the shell (q quit, Esc back).
 */
afterEach(() => cleanup());

const FIRST = 'catmaid_202611251402_3f2a9c1.sql';

function restoreWizard(services = fakeRestoreServices()) {
  return { ...wizard(testScreen('Restore', (props) => <Restore {...props} services={services} />), restoreInfo), services };
}

/** The first backup's details, verified. */
async function details(app: ReturnType<typeof wizard>['app']): Promise<void> {
  await waitForText(app, FIRST);
  await press(app, KEY.enter);
  await waitForText(app, 'r restores it');
}

describe('Restore: keys right after the key that changes the view', () => {
  it('r and the database name in one chunk: the name goes into the question r asked', async () => {
    const { app } = restoreWizard();
    await details(app);
    burst(app, 'rcatmaid');
    await waitForText(app, 'to confirm: catmaid');
  });

  it('Esc right after r cancels the question; the details stay', async () => {
    const { app } = restoreWizard();
    await details(app);
    burst(app, 'r', KEY.esc);
    await waitForQuiet(app);
    const frame = app.lastFrame() ?? '';
    expect(frame).toContain('r restores it');
    expect(frame).not.toContain('Type catmaid');
  });

  it('⏎ and Esc in one write open the details and go back to the list, not out of the screen', async () => {
    const { app } = restoreWizard();
    await waitForText(app, FIRST);
    burst(app, KEY.enter, KEY.esc);
    const frame = await waitForQuiet(app);
    expect(frame).toContain('Restore · backups in');
    await press(app, KEY.enter);
    await waitForText(app, 'r restores it');
  });

  it('the name, ⏎ and q in one chunk: the restore runs to its end, q does not quit it', async () => {
    const { app, quit, services } = restoreWizard();
    await details(app);
    await press(app, 'r');
    await waitForText(app, 'Type catmaid');
    burst(app, 'catmaid\rq');
    await waitForText(app, `restored ${FIRST} into catmaid`);
    expect(services.calls).toHaveLength(1);
    expect(quit).not.toHaveBeenCalled();
  });

});

function updateWizard(services = fakeUpdateServices()) {
  return { ...wizard(testScreen('Update', (props) => <Update {...props} services={services} />), updateInfo), services };
}

describe('Update: keys right after the key that changes the stage', () => {
  it('u and y in one chunk start the update; a q right after stays with it', async () => {
    const { app, quit, services } = updateWizard();
    await readNotes(app);
    burst(app, 'uyq');
    await waitForText(app, 'Updated 2021.12.20 → 2022.06.15');
    expect(services.calls.run).toHaveLength(1);
    expect(quit).not.toHaveBeenCalled();
  });

  it('t, k and ⏎ in one chunk pick the target above the one shown', async () => {
    const { app, services } = updateWizard();
    await readNotes(app);
    burst(app, 'tk\r');
    await waitForFrame(app, () => services.calls.preflight.at(-1)?.to === '2022.03.01');
    expect(app.lastFrame()).not.toContain('Yes, update');
  });

  it('Esc right after t closes the target list; the screen stays', async () => {
    const { app } = updateWizard();
    await readNotes(app);
    burst(app, 't', KEY.esc);
    const frame = await waitForQuiet(app);
    expect(frame).toContain('[ read ✓ ]');
    expect(frame).not.toContain('Update to …');
  });

  it('b and the database name in one chunk after a failed step: the name goes into the rollback question', async () => {
    const { app } = updateWizard(fakeUpdateServices({ failAt: 4 }));
    await readNotes(app);
    await press(app, 'u', 'y');
    await waitForText(app, 'r retry · l log · b roll back');
    burst(app, 'bcatmaid');
    await waitForText(app, 'to confirm: catmaid');
  });
});

describe('Schedule: keys right after the key that asks', () => {
  const schedule = () => {
    const services = fakeScheduleServices('15 1 * * * /usr/local/bin/rotate-logs\n');
    return { ...wizard(testScreen('Schedule', (props) => <Schedule {...props} services={services} />), restoreInfo), services };
  };

  it('i and y in one chunk install the line', async () => {
    const { app, services } = schedule();
    await waitForText(app, 'none installed for this instance');
    burst(app, 'iy');
    await waitForText(app, '✓ installed in the crontab of root');
    expect(services.crontab()).toContain('backup --scheduled --quiet');
  });

  it('Esc right after i cancels the question; the screen stays', async () => {
    const { app, services } = schedule();
    await waitForText(app, 'none installed for this instance');
    burst(app, 'i', KEY.esc);
    const frame = await waitForQuiet(app);
    expect(frame).toContain('none installed for this instance');
    expect(frame).not.toContain('Add the line above');
    expect(services.crontab()).not.toContain('backup --scheduled');
  });
});
