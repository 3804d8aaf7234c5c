import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupHealth, parseDuration, unknownLine, type CheckOptions } from '../../src/tasks/backup/health.js';
import type { BackupEntry } from '../../src/tasks/backup/list.js';
import type { BackupManifest } from '../../src/tasks/backup/manifest.js';
import { labelValue, prometheusText, writePrometheusFile } from '../../src/tasks/backup/prometheus.js';
import { readRuns, runState, RUNS_KEPT, startRun, updateRun, type BackupRun } from '../../src/tasks/backup/runs.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const hours = (h: number) => new Date(NOW.getTime() - h * 3_600_000);
const options: CheckOptions = { maxAgeMs: 26 * 3_600_000, minSizeRatio: 0.5, now: NOW };

function backup(name: string, ageHours: number, sizeBytes: number, extra: Partial<BackupManifest> = {}): BackupEntry {
  const at = hours(ageHours).toISOString();
  return {
    name,
    path: `/b/${name}`,
    format: 'sql',
    database: 'catmaid',
    createdAt: hours(ageHours),
    sizeBytes,
    state: 'verified',
    manifest: { format: 'sql', startedAt: at, finishedAt: at, sizeBytes, kind: 'backup', verified: true, ...extra } as BackupManifest,
  };
}

const run = (ageHours: number, result: BackupRun['result'], reason?: string, pid = 1): BackupRun => ({
  id: `r${ageHours}`,
  trigger: 'scheduled',
  pid,
  startedAt: hours(ageHours).toISOString(),
  result,
  ...(reason ? { reason } : {}),
});

describe('backups --check', () => {
  it('is OK with a fresh backup of normal size, and says so with perfdata', () => {
    const health = backupHealth([backup('b2', 7, 61_000_000), backup('b1', 31, 60_000_000)], [run(7, 'ok')], options);
    expect(health.status).toBe('OK');
    expect(health.line).toBe('BACKUP OK - newest verified backup 7 h old, 58.2 MB | age=25200s;;93600;0 size=61000000B;;;0 verified_backups=2;;;0');
  });

  it('is CRITICAL when the last scheduled run failed, even with a fresh backup made by hand', () => {
    const health = backupHealth([backup('b2', 1, 61_000_000)], [run(2, 'failed', 'backup folder /b is not writable: permission denied')], options);
    expect(health.status).toBe('CRITICAL');
    expect(health.line).toMatch(/^BACKUP CRITICAL - last scheduled backup failed 2 h ago: backup folder \/b is not writable: permission denied \| age=3600s/);
  });

  it('counts a scheduled run whose process is gone while "running" as failed (interrupted)', () => {
    const health = backupHealth([backup('b1', 1, 10)], [run(3, 'running', undefined, 4242)], options, () => false);
    expect(health.problems[0]).toMatch(/last scheduled backup failed 3 h ago: interrupted/);
    expect(backupHealth([backup('b1', 1, 10)], [run(0, 'running', undefined, 4242)], options, () => true).status).toBe('OK');
  });

  it('is CRITICAL when the newest verified backup is too old, or when there is none', () => {
    expect(backupHealth([backup('b1', 27, 10)], [], options).problems).toEqual(['newest verified backup is 27 h old (more than 26 h)']);
    const none = backupHealth([{ ...backup('x', 1, 10), state: 'unverified' }], [], options);
    expect(none.status).toBe('CRITICAL');
    expect(none.line).toBe('BACKUP CRITICAL - no verified backup of this database | age=Us;;93600;0 size=UB;;;0 verified_backups=0;;;0');
  });

  it('is CRITICAL when the newest is much smaller than the one before of the same format, not against another format', () => {
    expect(backupHealth([backup('b2', 1, 20), backup('b1', 25, 100)], [], options).problems[0]).toMatch(/much smaller than the one before/);
    const custom = backup('c1', 25, 100, { format: 'custom' });
    expect(backupHealth([backup('b2', 1, 20), custom], [], options).status).toBe('OK');
  });

  it('leaves safety and pre-update backups out of age and size', () => {
    const safety = backup('s1', 1, 10, { kind: 'safety' });
    expect(backupHealth([safety, backup('b1', 30, 10)], [], options).status).toBe('CRITICAL');
  });

  it('warns when the last restore test failed, and keeps perfdata out of the text', () => {
    const tested = backup('b1', 2, 10, { restoreTest: { at: hours(1).toISOString(), ok: false, detail: 'treenode: checksum differs | x', where: 'database', seconds: 3 } });
    const health = backupHealth([tested], [], options);
    expect(health.status).toBe('WARNING');
    expect(health.line.split('|')).toHaveLength(2);
    expect(unknownLine('no folder\nat | all')).toBe('BACKUP UNKNOWN - no folder · at / all');
  });

  it('reads durations as admins write them', () => {
    expect(parseDuration('26h')).toBe(26 * 3_600_000);
    expect(parseDuration('1d12h')).toBe(36 * 3_600_000);
    expect(parseDuration('90')).toBe(90_000);
    for (const bad of ['', 'h', '26 hours', '-1h', '0']) expect(parseDuration(bad)).toBeNull();
  });
});

describe('--prometheus', () => {
  it('writes gauges with escaped labels, atomically, readable by node_exporter', async () => {
    const health = backupHealth([backup('b1', 7, 61_000_000)], [run(7, 'ok')], options);
    const text = prometheusText(health, { catmaid: 'main "x"', database: 'catmaid' });
    expect(text).toContain('catmaid_tui_backup_check_status{catmaid="main \\"x\\"",database="catmaid"} 0');
    expect(text).toContain(`catmaid_tui_backup_last_verified_timestamp_seconds{catmaid="main \\"x\\"",database="catmaid"} ${Math.round(hours(7).getTime() / 1000)}`);
    expect(text).toContain('catmaid_tui_backup_last_scheduled_run_success{catmaid="main \\"x\\"",database="catmaid"} 1');
    expect(text).not.toContain('restore_test');
    expect(labelValue('a\\b\nc')).toBe('a\\\\b\\nc');
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'prom-'));
    const file = path.join(dir, 'catmaid.prom');
    await writePrometheusFile(file, text);
    expect(await fs.readFile(file, 'utf8')).toBe(text);
    expect((await fs.stat(file)).mode & 0o777).toBe(0o644);
    expect(await fs.readdir(dir)).toEqual(['catmaid.prom']);
    await fs.symlink('/etc/passwd', path.join(dir, 'link.prom'));
    await expect(writePrometheusFile(path.join(dir, 'link.prom'), text)).rejects.toThrow(/symbolic link/);
    await fs.rm(dir, { recursive: true });
  });
});

describe('run records', () => {
  let home: string;
  const saved = process.env.XDG_STATE_HOME;
  beforeAll(async () => {
    home = await fs.mkdtemp(path.join(os.tmpdir(), 'runs-'));
    process.env.XDG_STATE_HOME = home;
  });
  afterAll(async () => {
    process.env.XDG_STATE_HOME = saved;
    await fs.rm(home, { recursive: true, force: true });
  });

  it('records a run when it starts and when it ends, newest first, and keeps only the last ones', async () => {
    const root = path.join(home, 'srv', 'catmaid');
    const first = await startRun(root, 'scheduled', new Date(2026, 0, 1));
    await updateRun(root, first, { result: 'failed', reason: 'no space left on device' });
    const second = await startRun(root, 'manual', new Date(2026, 0, 2));
    expect(readRuns(root).map((r) => [r.trigger, runState(r)])).toEqual([['manual', 'running'], ['scheduled', 'failed']]);
    expect(runState({ ...second, pid: 2 ** 22 + 1 })).toBe('interrupted');
    for (let day = 3; day < RUNS_KEPT + 5; day += 1) await startRun(root, 'scheduled', new Date(2026, 0, day));
    expect(readRuns(root)).toHaveLength(RUNS_KEPT);
  });
});
