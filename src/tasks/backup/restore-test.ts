import path from 'node:path';
import { withClient } from '../db/connect.js';
import { oneLine, UsageError } from '../errors.js';
import type { DatabaseSettings } from '../instance/types.js';
import { pgBin } from '../pg-bin.js';
import type { TaskLog } from '../task-log.js';
import { checkIdentity } from './age.js';
import { contentDifferences, contentsOf } from './contents.js';
import { inspectBackup } from './inspect.js';
import { updateManifest, type RestoreTestRecord } from './manifest.js';
import { pinBackup, pinnedBackups, unpinBackup } from './pins.js';
import { derivedCounts } from './rebuild-derived.js';
import { rebuildSql } from './rebuild-sql.js';
import { loadStep } from './restore-load.js';
import { roleRestorePlan } from './role-restore.js';
import { serverFacts } from './server-facts.js';
import { openVerifyTarget } from './verify-target.js';

export interface RestoreTestOptions {
  root: string;
  /** The instance's database: the server to test on (or whose roles and version the temporary cluster takes). */
  db: DatabaseSettings;
  file: string;
  /** `auto` (default): the instance's server when the role may create the database there, else a temporary cluster. */
  where?: 'auto' | RestoreTestRecord['where'];
  /** The age identity file, for an encrypted backup. */
  identity?: string;
  log?: TaskLog;
  signal?: AbortSignal;
  /** Each step as it starts, in words. */
  onStep?: (text: string) => void;
}

export interface RestoreTestResult extends RestoreTestRecord {
  file: string;
  /** What differed from the manifest (empty when it passed). */
  differences: string[];
}

/**
 * Prove a backup by restoring it: verify it, restore it into a throwaway database (or a temporary cluster), rebuild
 * the derived tables, and compare row counts and checksums of the core tables with those the manifest recorded at
 * backup time. The result goes into the manifest; a backup that passed is pinned as the instance's last
 * restore-tested one (retention keeps it). The throwaway copy is removed whatever happens.
 */
export async function restoreTest(options: RestoreTestOptions): Promise<RestoreTestResult> {
  const step = (text: string) => {
    options.log?.line(text);
    options.onStep?.(text);
  };
  const started = Date.now();
  const server = await serverFacts(options.db);
  step(`verifying ${options.file}`);
  const inspection = await inspectBackup(options.file, pgBin('pg_restore', server.major), undefined, options.identity && checkIdentity(options.identity));
  const manifest = inspection.manifest;
  if (!manifest) throw new UsageError(`${inspection.path} has no manifest: a restore test compares with what the manifest recorded`, 'restore-test a backup made by catmaid-tui');
  let where: RestoreTestRecord['where'] = 'database';
  let differences: string[];
  if (inspection.problems.length) differences = inspection.problems;
  else if (!manifest.contents) differences = ['its manifest has no row counts to compare (made before catmaid-tui recorded them)'];
  else {
    const target = await openVerifyTarget(options.root, options.db, server.major, inspection.extensions, { where: options.where });
    where = target.where;
    step(target.where === 'database' ? `restoring into the throwaway database ${target.db.name}` : `restoring into a temporary cluster (the role may not create databases here): ${target.db.host}`);
    try {
      differences = await restoreAndCompare(target.db, inspection, server.major, manifest.contents, options, step);
    } catch (err) {
      differences = [`the restore failed: ${oneLine(err)}`];
    } finally {
      step(target.where === 'database' ? `dropping ${target.db.name}` : 'removing the temporary cluster');
      await target.remove();
    }
  }
  const tables = manifest.contents ? Object.keys(manifest.contents.tables).length : 0;
  const record: RestoreTestRecord = {
    at: new Date().toISOString(),
    ok: differences.length === 0,
    detail: differences.length ? differences.join('; ') : `row counts and checksums equal (${tables} tables)`,
    where,
    seconds: Math.round((Date.now() - started) / 100) / 10,
  };
  step(`restore test ${record.ok ? 'passed' : 'FAILED'}: ${record.detail}`);
  await updateManifest(inspection.path, (m) => ({ ...m, restoreTest: record }));
  if (record.ok) {
    for (const pin of pinnedBackups(options.root).filter((p) => p.kind === 'restore-test' && p.path !== inspection.path)) await unpinBackup(options.root, pin.path, 'restore-test');
    await pinBackup(options.root, inspection.path, 'restore-test', `last restore-tested backup (${new Date(record.at).toLocaleString()})`);
  }
  return { ...record, file: inspection.path, differences };
}

async function restoreAndCompare(
  db: DatabaseSettings,
  inspection: Awaited<ReturnType<typeof inspectBackup>>,
  major: number,
  expected: NonNullable<NonNullable<typeof inspection.manifest>['contents']>,
  options: RestoreTestOptions,
  step: (text: string) => void,
): Promise<string[]> {
  const plan = await withClient(db, (client) => roleRestorePlan(client, inspection.extensions, db.name));
  const loadOptions = {
    db,
    file: inspection.path,
    currentCommit: null,
    allowVersionMismatch: true,
    confirmed: true,
    safetyBackup: false as const,
    python: '',
    managePy: '',
    log: options.log,
    signal: options.signal,
  };
  await loadStep(loadOptions, inspection, major, { plan }, { emit: () => undefined, warn: (message) => options.log?.line(`warning: ${message}`) });
  const differences: string[] = [];
  if (!inspection.derivedIncluded) {
    step('rebuilding the derived tables in SQL');
    await withClient(db, (client) => rebuildSql(client, options.log));
    const counts = await withClient(db, (client) => derivedCounts(client));
    for (const c of counts) if (c.rows !== c.expected) differences.push(`${c.table}: ${c.rows} rows after the rebuild for ${c.expected} in ${c.source}`);
  }
  step(`comparing row counts and checksums with the manifest of ${path.basename(inspection.path)}`);
  differences.push(...contentDifferences(expected, await contentsOf(db, expected.method)));
  return differences;
}
