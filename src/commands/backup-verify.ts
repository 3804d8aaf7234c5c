import path from 'node:path';
import type { Command } from 'commander';
import { checkIdentity } from '../tasks/backup/age.js';
import { inspectBackup } from '../tasks/backup/inspect.js';
import { restoreTest } from '../tasks/backup/restore-test.js';
import { serverFacts } from '../tasks/backup/server-facts.js';
import { pgBin } from '../tasks/pg-bin.js';
import { target } from './backup-target.js';
import { printJson } from './context.js';
import { interruptible, logged, statusWriter } from './task-run.js';

export interface VerifyFlags {
  restoreTest?: boolean;
  identity?: string;
  json?: boolean;
}

/** A bare name is looked up in the backup folder, as `restore` does. */
const resolveIn = (file: string, folder: string): string => (file.includes('/') ? path.resolve(file) : path.join(folder, file));

/**
 * `backup verify FILE [--restore-test]`: the dump read whole against its manifest (sha256, completeness); with
 * --restore-test also restored into a throwaway database and compared table by table. Exit 1 when it fails.
 */
export async function verifyAction(file: string, _own: VerifyFlags, command: Command): Promise<void> {
  const flags = command.optsWithGlobals<VerifyFlags>();
  const t = await target(command);
  const db = t.info.settings.settings.database;
  const dump = resolveIn(file, t.backupDir);
  if (!flags.restoreTest) {
    const inspection = await inspectBackup(dump, pgBin('pg_restore', (await serverFacts(db)).major), undefined, flags.identity && checkIdentity(flags.identity));
    if (flags.json) printJson({ file: inspection.path, ok: inspection.problems.length === 0, problems: inspection.problems, sha256: inspection.sha256, sizeBytes: inspection.sizeBytes });
    else process.stdout.write(inspection.problems.length ? `${inspection.path}: FAILED: ${inspection.problems.join('; ')}\n` : `${inspection.path}: verified (sha256 ${inspection.sha256})\n`);
    if (inspection.problems.length) process.exitCode = 1;
    return;
  }
  const status = statusWriter(flags.json === true);
  const result = await logged('restore-test', db.password, (log) =>
    interruptible((signal) => restoreTest({ root: t.located.root, db, file: dump, identity: flags.identity, log, signal, onStep: (text) => status.line(text) })),
  );
  if (flags.json) printJson(result);
  else process.stdout.write(`restore test ${result.ok ? 'passed' : 'FAILED'}: ${result.detail} (${result.where === 'database' ? 'throwaway database' : 'temporary cluster'}, ${result.seconds} s)\n`);
  if (!result.ok) process.exitCode = 1;
}

/** A restore test that failed, as a run's problem (a scheduled run reports it like a failed backup). */
export const restoreTestProblem = (result: { ok: boolean; detail: string; file: string }): string[] =>
  result.ok ? [] : [`the restore test of ${path.basename(result.file)} failed: ${result.detail}`];
