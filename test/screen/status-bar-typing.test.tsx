import { cleanup } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Backup } from '../../src/screens/Backup.js';
import { Monitor } from '../../src/screens/Monitor.js';
import { Restore } from '../../src/screens/Restore.js';
import { fakeBackupServices, fakeRestoreServices, info as backupInfo } from './backup-fakes.js';
import { KEY, press, waitForFrame, waitForText } from './helpers.js';
import { scripted } from './monitor-fakes.js';
import { testScreen, wizard } from './race-helpers.js';

/**
 * While a field, the Monitor's filter or a typed confirmation word is typed into, ?, q and Esc are text (or the
 * field's own Esc): the status bar shows only the field's keys then, and the shell's again once it is left.
 */
afterEach(() => cleanup());

const statusBar = (frame: string): string => frame.split('\n').at(-1) ?? '';
const barIs = (app: ReturnType<typeof wizard>['app'], check: (bar: string) => boolean) => waitForFrame(app, (f) => check(statusBar(f)));

describe('the status bar while typing', () => {
  it('Backup: a field being edited shows ⏎ keep · esc undo only; after ⏎ the shell keys come back', async () => {
    const { app } = wizard(testScreen('Backup', (props) => <Backup {...props} services={fakeBackupServices()} />), backupInfo);
    await waitForText(app, '/var/backups/catmaid');
    await press(app, KEY.up);
    await waitForText(app, '› Keep newest');
    expect(statusBar(app.lastFrame() ?? '')).toMatch(/\? help · esc back · q quit$/);
    await press(app, KEY.enter);
    expect(statusBar(await barIs(app, (bar) => bar.includes('⏎ keep')))).toMatch(/Backup +⏎ keep · esc undo$/);
    await press(app, '3', KEY.enter);
    await barIs(app, (bar) => bar.endsWith('? help · esc back · q quit'));
  });

  it('Monitor: the filter shows ⏎ keep · esc clear only', async () => {
    const { app } = wizard(testScreen('Monitor', (props) => <Monitor {...props} source={() => scripted().source} intervalMs={500} />));
    await waitForText(app, '40100');
    await press(app, '/');
    expect(statusBar(await barIs(app, (bar) => bar.includes('⏎ keep')))).toMatch(/Monitor +⏎ keep · esc clear$/);
  });

  it('Restore: the typed database name shows ⏎ confirm · esc cancel only', async () => {
    const { app } = wizard(testScreen('Restore', (props) => <Restore {...props} services={fakeRestoreServices()} />), backupInfo);
    await waitForText(app, 'catmaid_202611251402_3f2a9c1.sql');
    await press(app, KEY.enter);
    await waitForText(app, 'r restores it');
    // The details hold Esc (back to the list) and q: the bar says so.
    expect(statusBar(app.lastFrame() ?? '')).toMatch(/Restore +\(busy\) +esc list · s safety backup · r restore · \? help$/);
    await press(app, 'r');
    await waitForText(app, 'Type catmaid');
    expect(statusBar(await barIs(app, (bar) => bar.includes('⏎ confirm')))).toMatch(/Restore +⏎ confirm · esc cancel$/);
  });
});
