import type pg from 'pg';
import { withClient } from '../../db/connect.js';
import { oneLine } from '../../errors.js';
import type { DatabaseSettings } from '../../instance/types.js';
import type { PgSetting, PostgresFacts, TableStats } from '../types.js';

/** The settings the rules read (and apply.ts validates against). */
export const SETTING_NAMES = [
  'shared_buffers', 'effective_cache_size', 'maintenance_work_mem', 'work_mem', 'max_connections',
  'max_worker_processes', 'superuser_reserved_connections', 'random_page_cost', 'checkpoint_completion_target',
  'autovacuum', 'jit', 'jit_above_cost', 'shared_memory_type', 'huge_pages', 'shared_memory_size_in_huge_pages',
  'data_directory', 'unix_socket_directories',
];

export const SETTINGS_SQL = `SELECT name, setting, unit, context, vartype, source, min_val, max_val, enumvals
  FROM pg_settings WHERE name = ANY($1::text[])`;

export const ROLE_SETTINGS_SQL = `SELECT unnest(s.setconfig) AS entry
  FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole
  WHERE r.rolname = current_user
    AND s.setdatabase IN (0, (SELECT oid FROM pg_database WHERE datname = current_database()))`;

// A parent's own counters say nothing of its children's rows; its tree statistics show in pg_stats as inherited.
export const TABLES_SQL = `SELECT t.schemaname AS schema, t.relname AS table, t.n_live_tup AS live, t.n_dead_tup AS dead,
    t.n_mod_since_analyze AS modified, greatest(t.last_analyze, t.last_autoanalyze) AS analyzed,
    CASE WHEN c.relhassubclass THEN (SELECT coalesce(sum(greatest(k.n_live_tup, kc.reltuples)), 0)::bigint FROM pg_inherits i
      JOIN pg_class kc ON kc.oid = i.inhrelid JOIN pg_stat_user_tables k ON k.relid = i.inhrelid WHERE i.inhparent = t.relid) END AS child_rows,
    CASE WHEN c.relhassubclass THEN EXISTS (SELECT 1 FROM pg_stats s
      WHERE s.schemaname = t.schemaname AND s.tablename = t.relname AND s.inherited) END AS tree_analyzed
  FROM pg_stat_user_tables t JOIN pg_class c ON c.oid = t.relid ORDER BY t.n_live_tup DESC`;

interface TableRow {
  schema: string;
  table: string;
  live: string;
  dead: string;
  modified: string;
  analyzed: Date | null;
  child_rows: string | null;
  tree_analyzed: boolean | null;
}

interface SettingRow {
  name: string;
  setting: string;
  unit: string | null;
  context: string;
  vartype: string;
  source: string;
  min_val: string | null;
  max_val: string | null;
  enumvals: string[] | null;
}

export function settingOf(row: SettingRow): PgSetting {
  return {
    name: row.name,
    setting: row.setting,
    unit: row.unit,
    context: row.context,
    vartype: row.vartype,
    source: row.source,
    minVal: row.min_val,
    maxVal: row.max_val,
    enumvals: row.enumvals,
  };
}

export async function readSettingsRows(client: pg.Client, names: string[]): Promise<Record<string, PgSetting>> {
  const { rows } = await client.query<SettingRow>(SETTINGS_SQL, [names]);
  return Object.fromEntries(rows.map((row) => [row.name, settingOf(row)]));
}

/** What the database rules need, in one connection; an unreachable database is a fact, not an error. */
export async function readPostgres(db: DatabaseSettings): Promise<PostgresFacts> {
  const empty: PostgresFacts = {
    reachable: false,
    role: db.user,
    database: db.name,
    settings: {},
    roleSettings: [],
    tables: [],
    hugePagesNeeded: null,
    dataDirectory: null,
  };
  try {
    return await withClient(
      db,
      async (client) => {
        const settings = await readSettingsRows(client, SETTING_NAMES);
        const roles = await client.query<{ entry: string }>(ROLE_SETTINGS_SQL);
        const tables = await client.query<TableRow>(TABLES_SQL);
        const version = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
        const huge = settings.shared_memory_size_in_huge_pages?.setting;
        return {
          ...empty,
          reachable: true,
          versionNum: Number(version.rows[0].v),
          settings,
          roleSettings: roles.rows.map((r) => r.entry),
          tables: tables.rows.map(
            (r): TableStats => ({
              schema: r.schema,
              table: r.table,
              liveTuples: Number(r.live),
              deadTuples: Number(r.dead),
              modSinceAnalyze: Number(r.modified),
              lastAnalyze: r.analyzed ? r.analyzed.toISOString() : null,
              ...(r.child_rows === null ? {} : { inheritance: { childRows: Number(r.child_rows), treeAnalyzed: r.tree_analyzed === true } }),
            }),
          ),
          // -1 means huge pages are not supported on this platform.
          hugePagesNeeded: huge !== undefined && Number(huge) >= 0 ? Number(huge) : null,
          dataDirectory: settings.data_directory?.setting ?? null,
        };
      },
      { connectionTimeoutMillis: 3000, query_timeout: 5000 },
    );
  } catch (err) {
    return { ...empty, error: oneLine(err) };
  }
}
