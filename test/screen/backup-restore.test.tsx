import { cleanup, render } from 'ink-testing-library';
import { afterEach, describe, expect, it } from 'vitest';
import { Restore } from '../../src/screens/Restore.js';
import { fakeRestoreServices, info } from './backup-fakes.js';
import { KEY, press, waitForFrame, waitForText, pressAndWait } from './helpers.js';

afterEach(() => cleanup());

const screen = (services: ReturnType<typeof fakeRestoreServices>) =>
  render(<Restore info={info} active width={100} height={27} services={services} />);

const typeWord = (app: ReturnType<typeof screen>, word: string) => press(app, ...word.split(''));

/** Open the first backup, ask for its restore and type the database name. */
async function restoreFirst(app: ReturnType<typeof screen>): Promise<void> {
  await waitForText(app, 'catmaid_202611251402_3f2a9c1.sql');
  await press(app, KEY.enter);
  await waitForText(app, 'r restores it');
  await press(app, 'r');
  await waitForText(app, 'Type catmaid');
  await typeWord(app, 'catmaid');
  await press(app, KEY.enter);
}

describe('the Restore screen', () => {
  it('lists the backups, shows the details, refuses a wrong typed name, then walks every step to the result', async () => {
    const services = fakeRestoreServices();
    const app = screen(services);
    let frame = await waitForText(app, 'catmaid_202611251402_3f2a9c1.sql');
    expect(frame).toContain('Restore · backups in /var/backups/catmaid');
    expect(frame).toMatch(/› ✓ verified +19 h +58\.2 MB +backup +2021\.12\.21-4-g3f2a9c1 +catmaid_202611251402_3f2a9c1\.sql/);
    expect(frame).toMatch(/✗ bad manifest .*catmaid_202610010300_3f2a9c1\.sql/);

    await press(app, KEY.enter);
    frame = await waitForText(app, 'r restores it over database catmaid');
    expect(frame).toMatch(/sha256 +abab.*✓ matches the manifest/);
    expect(frame).toMatch(/derived +edge tables left out: rebuilt after the restore/);
    expect(frame).toMatch(/✓ complete and readable/);
    expect(frame).toContain('[x] safety backup of catmaid first');
    expect(frame).not.toContain('migrations may not match');

    await press(app, 'r');
    frame = await waitForText(app, 'Type catmaid to confirm');
    expect(frame).toContain('Everything in it is replaced; a safety backup is taken first');
    await typeWord(app, 'catmaidx');
    await press(app, KEY.enter);
    await waitForText(app, 'that is not "catmaid"; nothing was done');
    expect(services.calls).toHaveLength(0);
    await press(app, KEY.backspace, KEY.enter);

    frame = await waitForText(app, 'restored catmaid_202611251402_3f2a9c1.sql into catmaid');
    expect(services.calls).toHaveLength(1);
    expect(services.calls[0]).toMatchObject({ allowVersionMismatch: false, confirmed: true, safetyBackup: { outDir: '/var/backups/catmaid' } });
    expect(frame).toMatch(/✓ verify the dump \(sha256, complete\) +\d+\.\d s +sha256 abababababab…/);
    expect(frame).toMatch(/✓ safety backup of the current database +\d+\.\d s +.*catmaid_202611251500_3f2a9c1\.dump/);
    expect(frame).toMatch(/✓ restore into the database +\d+\.\d s *│/);
    expect(frame).toMatch(/✓ rebuild the derived tables +\d+\.\d s +sql, rows 1521 · 152 · 76/);
    expect(frame).toContain('safety backup: /var/backups/catmaid/catmaid_202611251500_3f2a9c1.dump');
    expect(frame).toContain('derived tables: rebuilt in SQL: treenode_edge 1521 · treenode_connector_edge 152');
    expect(frame).toContain('log: /var/log/test/restore.log');
  });

  it('a backup of another commit blocks until the mismatch is explicitly accepted; no safety backup when switched off', async () => {
    const services = fakeRestoreServices();
    const app = screen(services);
    await waitForText(app, 'catmaid_202611010300_9e8d7c6.sql');
    await press(app, KEY.down, KEY.enter);
    let frame = await waitForText(app, 'migrations may not match');
    expect(frame).toContain('! made at commit 9e8d7c6b5a4f, the instance is at 3f2a9c1d0e5b: migrations may not match');
    expect(frame).toContain('choose first: a restores despite the commit mismatch');
    expect(await pressAndWait(app, 'r')).not.toContain('Type catmaid to confirm');

    await press(app, 'a');
    frame = await waitForText(app, '✓ you chose to restore it anyway');
    await press(app, 's');
    frame = await waitForText(app, '[ ] NO safety backup of catmaid first');
    await press(app, 'r');
    frame = await waitForText(app, 'with NO safety backup');
    await typeWord(app, 'catmaid');
    await press(app, KEY.enter);
    frame = await waitForText(app, 'restored catmaid_202611010300_9e8d7c6.sql into catmaid');
    expect(services.calls[0]).toMatchObject({ allowVersionMismatch: true, safetyBackup: false });
    expect(frame).toMatch(/· safety backup of the current database +skipped: --no-safety-backup/);
    expect(frame).toContain('safety backup: none (skipped)');
  });

  it('a backup that failed verification cannot be restored; Esc goes back to the list', async () => {
    const services = fakeRestoreServices();
    const app = screen(services);
    await waitForText(app, 'catmaid_202610010300_3f2a9c1.sql');
    await press(app, KEY.down, KEY.down, KEY.enter);
    const frame = await waitForText(app, 'this backup cannot be restored');
    expect(frame).toMatch(/✗ its manifest is unreadable \(not JSON\)/);
    expect(await pressAndWait(app, 'r')).not.toContain('Type catmaid');
    await press(app, KEY.esc);
    await waitForText(app, 'Restore · backups in /var/backups/catmaid');
  });

  it('a failed restore marks its step ✗ with the reason and keeps the safety backup', async () => {
    const services = fakeRestoreServices({ failAt: 'restore' });
    const app = screen(services);
    await restoreFirst(app);
    const frame = await waitForFrame(app, (f) => f.includes('restore failed'));
    expect(frame).toMatch(/✗ restore into the database .*psql failed \(exit 3\): ERROR: +syntax err/);
    expect(frame).toMatch(/· rebuild the derived tables/);
    expect(frame).toMatch(/the database was\s+left as it was/);
    expect(frame).toContain('the safety backup is kept: /var/backups/catmaid/catmaid_202611251500_3f2a9c1.dump');
  });

  it('marks safety backups and pins in the list, says why in the details, and shows who is connected before asking', async () => {
    const app = screen(fakeRestoreServices());
    let frame = await waitForText(app, 'catmaid_202611200300_3f2a9c1.dump');
    expect(frame).toMatch(/✓ verified .* safety ⚑ .*catmaid_202611200300_3f2a9c1\.dump/);
    expect(frame).toContain('⚑ pinned: never pruned');
    await press(app, 'G', KEY.enter);
    frame = await waitForText(app, 'r restores it over database catmaid');
    expect(frame).toMatch(/kind +safety: taken before restore of catmaid_202611010300_9e8d7c6\.sql/);
    expect(frame).toMatch(/pinned +i never pruned while pinned \(safety\), since /);
    expect(frame).toContain('1 other session is connected to catmaid; they may hold locks the restore waits for:');
    expect(frame).toContain('pid 40187 catmaid_user (gunicorn, 10.0.0.5, idle in transaction, since 2 min)');
  });

  it('while the load waits for a lock, says who holds it and offers to end their sessions', async () => {
    const services = fakeRestoreServices({ lockWait: true });
    const app = screen(services);
    await restoreFirst(app);
    const frame = await waitForText(app, 'waiting for a lock held by pid 40187');
    expect(frame).toContain('waiting for a lock held by pid 40187 catmaid_user (gunicorn, 10.0.0.5, idle in transaction');
    expect(frame).toContain('c cancel their queries · k end their sessions · a abort the restore (rolled back) · w wait');
    await press(app, 'k');
    await waitForText(app, 'restored catmaid_202611251402_3f2a9c1.sql into catmaid');
    expect(services.lockAnswers).toEqual(['terminate']);
  });

  it('with the derived tables left empty, says so above the list and e rebuilds them after asking', async () => {
    const services = fakeRestoreServices({ emptyDerived: ['treenode_edge', 'connector_geom'] });
    const app = screen(services);
    let frame = await waitForText(app, 'e rebuilds them now');
    expect(frame).toContain('✗ e rebuilds them now: edge tables empty: rebuild (treenode_edge, connector_geom have no rows)');
    await press(app, 'e');
    frame = await waitForText(app, 'Rebuild the derived tables');
    expect(services.rebuilds).toBe(0);
    await press(app, 'y');
    frame = await waitForText(app, 'derived tables rebuilt (manage.py): treenode_edge 1521');
    expect(services.rebuilds).toBe(1);
  });
});
