import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { inspectBackup, type BackupInspection } from '../backup/inspect.js';
import { serverFacts } from '../backup/backup.js';
import { oneLine } from '../errors.js';
import { checkedRef, git } from '../instance/git.js';
import type { InstanceInfo } from '../instance/types.js';
import { pgBin } from '../pg-bin.js';
import type { UpdateJournal } from './journal.js';
import { pipRefusal } from './python-env.js';

/**
 * What a rollback needs, checked before it changes anything: the old commit is in the repository, its
 * requirements can be installed into the instance's virtualenv (`pip install --dry-run`), and the pre-update
 * backup is there and verifies (sha256 against its manifest, complete). A rollback that would stop half-way —
 * code at one migration and the database at the next — must not start.
 */
export interface RollbackCheck {
  id: 'commit' | 'requirements' | 'backup';
  ok: boolean;
  title: string;
  detail?: string;
}

export interface RollbackReadiness {
  checks: RollbackCheck[];
  inspection: BackupInspection | null;
}

const HEX = /^[0-9a-f]{7,64}$/i;

async function commitCheck(root: string, previous: UpdateJournal['previous']): Promise<RollbackCheck> {
  if (!HEX.test(previous.commit)) return { id: 'commit', ok: false, title: `the journal's commit ${JSON.stringify(previous.commit)} is not a commit id` };
  if (previous.branch) checkedRef(previous.branch, 'the journal\'s branch');
  const found = await git(root, ['cat-file', '-e', `${previous.commit}^{commit}`], { reject: false });
  return found.exitCode === 0
    ? { id: 'commit', ok: true, title: `commit ${previous.commit.slice(0, 7)} is in the repository` }
    : { id: 'commit', ok: false, title: `commit ${previous.commit.slice(0, 7)} is not in the repository`, detail: 'fetch it first (git fetch --all), then roll back' };
}

/** The requirement files of `django/` at a commit, written to a temporary folder (they may include each other). */
async function requirementsAt(root: string, commit: string, dir: string): Promise<string | null> {
  const listed = await git(root, ['ls-tree', '--name-only', `${commit}:django`], { reject: false });
  if (listed.exitCode !== 0) return null;
  const files = listed.stdout.split('\n').filter((name) => /^requirements[\w.-]*\.txt$/.test(name));
  if (!files.includes('requirements.txt')) return null;
  await fs.mkdir(path.join(dir, 'django'), { recursive: true });
  for (const name of files) {
    const shown = await git(root, ['show', `${commit}:django/${name}`]);
    await fs.writeFile(path.join(dir, 'django', name), `${shown.stdout}\n`);
  }
  return path.join(dir, 'django', 'requirements.txt');
}

async function requirementsCheck(info: InstanceInfo, commit: string, systemPython: boolean): Promise<RollbackCheck> {
  const refusal = pipRefusal(info.layout, systemPython);
  if (refusal) return { id: 'requirements', ok: false, title: refusal.title, detail: refusal.hint };
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'catmaid-tui-rollback-'));
  try {
    const file = await requirementsAt(info.layout.root, commit, dir);
    if (!file) return { id: 'requirements', ok: true, title: `no django/requirements.txt at ${commit.slice(0, 7)}: nothing to install` };
    const result = await execa(info.layout.python, ['-m', 'pip', 'install', '--dry-run', '--disable-pip-version-check', '--no-input', '-r', file], {
      reject: false,
      all: true,
      timeout: 300_000,
      env: { PIP_NO_INPUT: '1' },
    });
    if (result.exitCode === 0) return { id: 'requirements', ok: true, title: `requirements of ${commit.slice(0, 7)} can be installed` };
    const why = `${result.all ?? ''}`.trim().split('\n').filter(Boolean).at(-1) ?? oneLine(result.shortMessage);
    return { id: 'requirements', ok: false, title: `requirements of ${commit.slice(0, 7)} cannot be installed`, detail: why };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function backupCheck(info: InstanceInfo, backup: string | null): Promise<{ check: RollbackCheck; inspection: BackupInspection | null }> {
  if (!backup) return { check: { id: 'backup', ok: true, title: 'no pre-update backup (the update ran with --skip-backup): the database stays as it is' }, inspection: null };
  try {
    const major = (await serverFacts(info.settings.settings.database)).major;
    const inspection = await inspectBackup(backup, pgBin('pg_restore', major));
    if (inspection.problems.length > 0) {
      return { check: { id: 'backup', ok: false, title: `the pre-update backup ${backup} does not verify`, detail: inspection.problems.join('; ') }, inspection };
    }
    return { check: { id: 'backup', ok: true, title: `pre-update backup verified (sha256 ${inspection.sha256.slice(0, 12)}…)` }, inspection };
  } catch (err) {
    return { check: { id: 'backup', ok: false, title: `the pre-update backup ${backup} cannot be used`, detail: oneLine(err) }, inspection: null };
  }
}

export async function checkRollback(info: InstanceInfo, journal: UpdateJournal, options: { systemPython?: boolean } = {}): Promise<RollbackReadiness> {
  const commit = await commitCheck(info.layout.root, journal.previous);
  const requirements = commit.ok ? await requirementsCheck(info, journal.previous.commit, options.systemPython ?? false) : null;
  const { check: backup, inspection } = await backupCheck(info, journal.backup);
  return { checks: [commit, ...(requirements ? [requirements] : []), backup], inspection };
}
