import path from 'node:path';
import { execa } from 'execa';
import type pg from 'pg';
import { withClient } from '../db/connect.js';
import { CliError, oneLine } from '../errors.js';
import type { DatabaseSettings } from '../instance/types.js';
import type { TaskLog } from '../task-log.js';
import { presentDerivedTables, presentTables, SUMMARY_TABLES, type DerivedTable } from './derived-tables.js';
import { rebuildSql } from './rebuild-sql.js';

/** A derived table after a rebuild: its rows, and the rows of its source (one each, so they must be equal). */
export interface DerivedCount {
  table: string;
  source: string;
  rows: number;
  expected: number;
}

export interface RebuildResult {
  via: 'manage.py' | 'sql';
  counts: DerivedCount[];
  /** Summary tables left empty: only CATMAID's own command fills them. */
  leftEmpty: string[];
  /** Why manage.py was not used, when it was not. */
  why?: string;
}

const quote = (name: string): string => `public."${name.replace(/"/g, '""')}"`;

export async function derivedCounts(client: pg.Client, tables?: readonly DerivedTable[]): Promise<DerivedCount[]> {
  const list = tables ?? (await presentDerivedTables(client));
  if (list.length === 0) return [];
  const columns = list.flatMap((d, i) => [`(SELECT count(*) FROM ${quote(d.table)}) AS r${i}`, `(SELECT count(*) FROM ${quote(d.source)}) AS s${i}`]);
  const row = (await client.query<Record<string, string>>(`SELECT ${columns.join(', ')}`)).rows[0];
  return list.map((d, i) => ({ table: d.table, source: d.source, rows: Number(row[`r${i}`]), expected: Number(row[`s${i}`]) }));
}

/** `treenode_edge 10000/10000 · …`: what the counts say, for logs and screens. */
export function countsLine(counts: readonly DerivedCount[]): string {
  return counts.map((c) => `${c.table} ${c.rows}${c.rows === c.expected ? '' : ` of ${c.expected}`}`).join(' · ');
}

export interface RebuildInput {
  db: DatabaseSettings;
  /** The instance's python (django/env/bin/python when the virtualenv exists). */
  python: string;
  managePy: string;
  /** Whether that python imports CATMAID's settings (`info`'s reading): only then is manage.py tried. */
  djangoWorks: boolean;
  /** The rebuild's application_name (its lock waits can be watched). */
  appName?: string;
  log?: TaskLog;
  signal?: AbortSignal;
}

/**
 * Rebuild treenode_edge, treenode_connector_edge and connector_geom, then check each has one row per source row:
 * a command's own success line is not proof. CATMAID's `catmaid_rebuild_all_materializations` (or, in releases
 * without it, `catmaid_rebuild_edge_table`) when the instance's python imports the settings; otherwise, or when
 * that fails, the same in SQL, in one transaction, without Python (a half-broken virtualenv is common).
 */
export async function rebuildDerived(input: RebuildInput): Promise<RebuildResult> {
  let why = input.djangoWorks ? undefined : "the instance's python cannot import CATMAID's settings";
  if (input.djangoWorks) {
    const failed = await viaManagePy(input);
    if (!failed) return checked(input, 'manage.py');
    why = `manage.py failed: ${failed}`;
    input.log?.line(`${why}; rebuilding in SQL instead`);
  }
  await withClient(input.db, (client) => rebuildSql(client, input.log), input.appName ? { application_name: input.appName } : {});
  return { ...(await checked(input, 'sql')), why };
}

/** manage.py's rebuild; null when it worked, else its last line. */
async function viaManagePy(input: RebuildInput): Promise<string | null> {
  for (const command of ['catmaid_rebuild_all_materializations', 'catmaid_rebuild_edge_table']) {
    const args = [input.managePy, command];
    input.log?.command(input.python, args);
    const run = await execa(input.python, args, {
      cwd: path.dirname(input.managePy),
      // catmaid_rebuild_edge_table asks `Continue? [y/N]:`.
      input: 'y\n',
      all: true,
      reject: false,
      cancelSignal: input.signal,
      env: input.appName ? { PGAPPNAME: input.appName } : {},
    });
    input.log?.output(run.all ?? '');
    if (input.signal?.aborted) throw new CliError('the rebuild was interrupted; it runs in one transaction and was rolled back', 1);
    if (run.exitCode === 0) return null;
    if (!/Unknown command/.test(run.all ?? '')) return (run.all ?? '').trim().split('\n').at(-1) ?? `exit ${run.exitCode}`;
  }
  return 'neither catmaid_rebuild_all_materializations nor catmaid_rebuild_edge_table is a command of this release';
}

async function checked(input: RebuildInput, via: RebuildResult['via']): Promise<RebuildResult> {
  const [counts, leftEmpty] = await withClient(input.db, async (client) => [await derivedCounts(client), await emptySummaries(client)] as const);
  input.log?.line(`rebuilt via ${via}: ${countsLine(counts)}`);
  const wrong = counts.filter((c) => c.rows !== c.expected);
  if (wrong.length) {
    throw new CliError(
      `after the rebuild ${wrong.map((c) => `${c.table} has ${c.rows} rows for ${c.expected} in ${c.source}`).join('; ')}`,
      1,
      `the restored data is in place; run catmaid-tui restore --rebuild-derived and read its log`,
    );
  }
  return { via, counts, leftEmpty: via === 'sql' ? leftEmpty : [] };
}

async function emptySummaries(client: pg.Client): Promise<string[]> {
  const present = [...(await presentTables(client, SUMMARY_TABLES))];
  const empty: string[] = [];
  for (const table of present) {
    if (!(await client.query(`SELECT 1 FROM ${quote(table)} LIMIT 1`)).rowCount) empty.push(table);
  }
  return empty;
}

/** One line for a rebuild that used SQL: why, and what is left to CATMAID. */
export function rebuildNote(result: RebuildResult): string | null {
  if (result.via !== 'sql') return null;
  const left = result.leftEmpty.length
    ? `; ${result.leftEmpty.join(', ')} stay empty until manage.py catmaid_rebuild_all_materializations runs`
    : '';
  return `derived tables rebuilt in SQL (${oneLine(result.why ?? '')})${left}`;
}
