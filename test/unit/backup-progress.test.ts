import { describe, expect, it } from 'vitest';
import { pgDumpArgs } from '../../src/tasks/backup/dump.js';
import { formatBytes } from '../../src/tasks/bytes.js';
import { programVersion, progressFigures, tableOfVerboseLine } from '../../src/tasks/backup/progress.js';
import { pgRestoreArgs, PSQL_ARGS } from '../../src/tasks/backup/restore-run.js';

describe('progress of a dump', () => {
  it('names the table pg_dump and pg_restore say they are working on', () => {
    expect(tableOfVerboseLine('pg_dump: dumping contents of table "public.treenode"')).toBe('public.treenode');
    expect(tableOfVerboseLine('pg_dump: launching item 3385 TABLE DATA public connector')).toBe('public.connector');
    expect(tableOfVerboseLine('pg_restore: processing data for table "public.project"')).toBe('public.project');
    expect(tableOfVerboseLine('pg_dump: reading extensions')).toBeNull();
  });

  it('computes rate and a capped fraction of the database size', () => {
    expect(progressFigures(50_000_000, 2000, 100_000_000)).toMatchObject({ rate: 25_000_000, fraction: 0.5 });
    expect(progressFigures(120, 10_000, 100).fraction).toBe(0.99);
    expect(progressFigures(5, 500, null)).toMatchObject({ rate: 0, fraction: null });
  });

  it('reads program versions and prints sizes', () => {
    expect(programVersion('pg_dump (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)')).toBe('15.18');
    expect(formatBytes(1536)).toBe('1.5 kB');
    expect(formatBytes(12)).toBe('12 B');
  });
});

describe('command lines', () => {
  it('of pg_dump hold no connection details and leave out the edge rows', () => {
    const plain = pgDumpArgs({ format: 'sql', jobs: 1, excludeTableData: ['treenode_edge'], target: '/b/x.partial' });
    expect(plain).toEqual(['--verbose', '--no-password', '--file=/b/x.partial', '--clean', '--if-exists', '--exclude-table-data=treenode_edge']);
    const dir = pgDumpArgs({ format: 'directory', jobs: 2, excludeTableData: [], target: '/b/x.dir.partial' });
    expect(dir).toEqual(['--verbose', '--no-password', '--file=/b/x.dir.partial', '--format=directory', '--jobs=2']);
    expect(pgDumpArgs({ format: 'custom', jobs: 1, excludeTableData: [], target: '/t' })).toContain('--format=custom');
  });

  it('of psql and pg_restore restore in one transaction unless in parallel', () => {
    // psql's --single-transaction would COMMIT at the end of a pipe cut short: catmaid-tui sends BEGIN/COMMIT itself.
    expect(PSQL_ARGS).toEqual(['-X', '--no-password', '--quiet', '-v', 'ON_ERROR_STOP=1', '-f', '-']);
    expect(pgRestoreArgs('cat', '/b/x.dump', 1)).toContain('--single-transaction');
    const parallel = pgRestoreArgs('cat', '/b/x.dump', 3);
    expect(parallel).toContain('--jobs=3');
    expect(parallel).not.toContain('--single-transaction');
  });
});
