import { alterRoleFix, alterSystemFix, qualifiedName } from '../sql-text.js';
import type { Check, CheckupInputs, TableStats } from '../types.js';

const MANUAL = 'CATMAID admin manual, Performance tuning › Database management system';

/** What Django sets on every new connection unless the role already has it (django/db/backends/postgresql). */
export const DJANGO_ROLE_SETTINGS: [string, string][] = [
  ['client_encoding', 'UTF8'],
  ['default_transaction_isolation', 'read committed'],
  ['timezone', 'UTC'],
];

function normalise(name: string, value: string): string {
  const v = value.trim().replace(/^'(.*)'$/, '$1');
  return name === 'client_encoding' ? v.toUpperCase().replace(/-/g, '') : v.toLowerCase();
}

export function roleSettingsCheck(inputs: CheckupInputs): Check {
  const { role, roleSettings } = inputs.postgres;
  const present = new Map<string, string>();
  for (const entry of roleSettings) {
    const at = entry.indexOf('=');
    if (at > 0) present.set(entry.slice(0, at).toLowerCase(), entry.slice(at + 1));
  }
  const missing = DJANGO_ROLE_SETTINGS.filter(
    ([name, value]) => !present.has(name) || normalise(name, present.get(name) as string) !== normalise(name, value),
  );
  const current = DJANGO_ROLE_SETTINGS.map(([name]) => `${name} ${present.get(name) ?? 'not set'}`).join(', ');
  return {
    id: 'pg.role_settings',
    group: 'database',
    title: 'role settings',
    status: !inputs.postgres.reachable ? 'info' : missing.length === 0 ? 'ok' : 'warn',
    current: inputs.postgres.reachable ? current : 'unknown',
    suggested: missing.length ? missing.map(([name, value]) => `${name} '${value}'`).join(', ') : null,
    why:
      'Django sets client_encoding, default_transaction_isolation and timezone on every new connection unless the ' +
      `role "${role}" already has them, which costs extra queries per connection.`,
    // All three, so the fix is the same whatever is missing and repeating it changes nothing.
    fix: missing.length ? alterRoleFix(role, DJANGO_ROLE_SETTINGS) : null,
    source: `${MANUAL}; Django docs, Databases › Optimizing PostgreSQL's configuration`,
  };
}

export function autovacuumCheck(inputs: CheckupInputs): Check | null {
  const value = inputs.postgres.settings.autovacuum?.setting;
  if (value === undefined) return null;
  const on = value === 'on';
  return {
    id: 'pg.autovacuum',
    group: 'database',
    title: 'autovacuum',
    status: on ? 'ok' : 'fail',
    current: value,
    suggested: on ? null : 'on',
    why: 'Keeps the planner statistics fresh and reclaims dead rows; without it CATMAID\'s queries degrade as tracing goes on.',
    fix: on ? null : alterSystemFix('autovacuum', 'on'),
    source: MANUAL,
  };
}

/**
 * A table whose statistics are stale or that carries many dead rows (autovacuum's own thresholds, doubled). An
 * inheritance parent whose children hold rows but whose tree was never analyzed counts too: autovacuum never
 * analyzes a parent for its children's changes (PostgreSQL docs, Routine Vacuuming), so `location` has no tree
 * statistics until someone runs ANALYZE on it.
 */
export function needsVacuumAnalyze(t: TableStats): boolean {
  const rows = t.liveTuples + t.modSinceAnalyze;
  const neverAnalyzed = t.lastAnalyze === null && rows > 0;
  return neverAnalyzed || treeNeverAnalyzed(t) || t.modSinceAnalyze > 100 + 0.2 * t.liveTuples || t.deadTuples > 100 + 0.4 * t.liveTuples;
}

const treeNeverAnalyzed = (t: TableStats): boolean => t.inheritance !== undefined && t.inheritance.childRows > 0 && !t.inheritance.treeAnalyzed;

function staleText(t: TableStats): string {
  if (treeNeverAnalyzed(t)) return `${t.table} (inheritance tree never analyzed, ${t.inheritance?.childRows} rows in its children)`;
  return `${t.table} (${t.lastAnalyze ? `${t.modSinceAnalyze} changed` : 'never analyzed'}, ${t.deadTuples} dead)`;
}

export function statsCheck(inputs: CheckupInputs): Check | null {
  if (!inputs.postgres.reachable) return null;
  const stale = inputs.postgres.tables.filter(needsVacuumAnalyze);
  const names = stale.map((t) => qualifiedName(t.schema, t.table));
  const shown = stale
    .slice(0, 5)
    .map(staleText)
    .join(', ');
  return {
    id: 'pg.stats',
    group: 'database',
    title: 'table statistics',
    status: stale.length ? 'warn' : 'ok',
    current: stale.length ? `${stale.length} stale: ${shown}${stale.length > 5 ? ', …' : ''}` : `${inputs.postgres.tables.length} tables fresh`,
    suggested: stale.length ? `VACUUM ANALYZE on ${stale.length} table${stale.length === 1 ? '' : 's'}` : null,
    why:
      'The planner chooses CATMAID\'s spatial query plans from these statistics (pg_stat_user_tables: ' +
      'never analyzed, many rows changed since the last ANALYZE, or many dead rows; an inheritance parent such as ' +
      'location without statistics of its whole tree, which autovacuum never gathers).',
    fix: stale.length ? { kind: 'sql', statements: [`VACUUM ANALYZE ${names.join(', ')};`], text: `VACUUM ANALYZE ${names.join(', ')};` } : null,
    source: MANUAL,
  };
}

/** Each WSGI thread may hold a connection, plus admin sessions and superuser_reserved_connections. */
export function maxConnectionsCheck(inputs: CheckupInputs): Check | null {
  const value = inputs.postgres.settings.max_connections?.setting;
  if (value === undefined) return null;
  const max = Number(value);
  const reserved = Number(inputs.postgres.settings.superuser_reserved_connections?.setting ?? 3);
  const workers = inputs.workers.count;
  const base = { id: 'pg.max_connections', group: 'database' as const, title: 'max_connections', current: value, source: 'PostgreSQL docs, 19.3 Connections and Authentication; PGTune (web: 200)' };
  if (workers === null) {
    return { ...base, status: 'info', suggested: null, why: `No WSGI workers found (${inputs.workers.detail}); pass --workers N to compare.`, fix: null };
  }
  const need = workers + reserved + 10;
  const fine = max >= need;
  const suggested = String(Math.max(need, 100));
  return {
    ...base,
    status: fine ? 'ok' : 'fail',
    suggested: fine ? null : suggested,
    why:
      `${workers} WSGI worker thread${workers === 1 ? '' : 's'} (${inputs.workers.detail}) may each hold a connection; ` +
      `with ${reserved} reserved for superusers and room for admin sessions and backups, ${need} are needed.` +
      (fine ? '' : ' Needs a restart of PostgreSQL.'),
    fix: fine ? null : alterSystemFix('max_connections', suggested),
  };
}
