import type pg from 'pg';
import { RefusedError } from '../errors.js';

/**
 * What a restore as the CATMAID role leaves out of a dump: what only the extension's owner (the superuser who
 * created it) may touch. The extension's DROP/CREATE/COMMENT (it is in the database already, and stays), and the
 * rows of the tables that belong to an extension (`spatial_ref_sys`: PostGIS's own reference data). A dump made by
 * that same role contains them all the same (pg_dump cannot leave an extension out before PostgreSQL 17), so the
 * restore leaves them out, for dumps of any origin.
 */
export interface RoleRestorePlan {
  role: string;
  /** Extensions of the dump that are installed here. */
  extensions: string[];
  /** `schema.table` of the tables that belong to an extension. */
  extensionTables: string[];
}

const EXTENSION_TABLES_SQL = `SELECT n.nspname || '.' || c.relname AS name FROM pg_depend d
  JOIN pg_class c ON c.oid = d.objid JOIN pg_namespace n ON n.oid = c.relnamespace
  WHERE d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e' AND c.relkind = 'r'`;

/**
 * The plan for a dump that creates `wanted` extensions. An extension the database lacks and the role may not
 * create (not a trusted one, like PostGIS) stops the restore before anything is touched, saying who can add it.
 */
export async function roleRestorePlan(client: pg.Client, wanted: readonly string[], database: string): Promise<RoleRestorePlan> {
  const role = (await client.query<{ role: string }>('SELECT current_user AS role')).rows[0].role;
  const installed = new Set((await client.query<{ name: string }>('SELECT extname AS name FROM pg_extension')).rows.map((r) => r.name));
  const trusted = new Set(
    (await client.query<{ name: string }>('SELECT DISTINCT name FROM pg_available_extension_versions WHERE trusted')).rows.map((r) => r.name),
  );
  const missing = wanted.filter((name) => !installed.has(name) && !trusted.has(name));
  if (missing.length) {
    throw new RefusedError(
      `the dump needs the extension${missing.length > 1 ? 's' : ''} ${missing.join(', ')}, which database ${database} lacks and ${role} may not create; nothing was changed`,
      `as the PostgreSQL superuser: ${missing.map((m) => `CREATE EXTENSION ${m};`).join(' ')} in ${database}, or as root on the database host: catmaid-tui restore FILE --as-superuser`,
    );
  }
  const extensionTables = (await client.query<{ name: string }>(EXTENSION_TABLES_SQL)).rows.map((r) => r.name);
  return { role, extensions: wanted.filter((name) => installed.has(name)), extensionTables };
}

/** `schema.name` without identifier quotes, as both plain dumps and tables of contents may quote. */
const bare = (name: string): string => name.replace(/"/g, '');

/**
 * An archive's table of contents (`pg_restore --list`) without the entries the plan leaves out, for
 * `pg_restore -L`; `left` says what was left out.
 */
export function filterToc(toc: string, plan: RoleRestorePlan): { list: string; left: string[] } {
  const extensions = new Set(plan.extensions);
  const tables = new Set(plan.extensionTables);
  const left: string[] = [];
  const kept = toc.split('\n').filter((line) => {
    const entry = /^\d+; \d+ \d+ (EXTENSION|COMMENT|TABLE DATA|SEQUENCE SET) (\S+) (\S+)(?: (\S+))?/.exec(line);
    if (!entry) return true;
    const [, kind, schema, name, more] = entry;
    const drop =
      (kind === 'EXTENSION' && extensions.has(bare(name))) ||
      (kind === 'COMMENT' && name === 'EXTENSION' && more !== undefined && extensions.has(bare(more))) ||
      ((kind === 'TABLE DATA' || kind === 'SEQUENCE SET') && tables.has(`${bare(schema)}.${bare(name)}`));
    if (drop) left.push(`${kind.toLowerCase()} ${kind === 'COMMENT' ? `on extension ${more}` : name}`);
    return !drop;
  });
  return { list: kept.join('\n'), left };
}
