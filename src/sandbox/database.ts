import { execa } from 'execa';
import { libpqEnv } from '../tasks/db/connect.js';
import { CliError } from '../tasks/errors.js';
import { pgBin } from '../tasks/pg-bin.js';
import { superuserSql } from './cluster.js';
import type { ClusterOwner } from './owner.js';
import type { SandboxState } from './types.js';

type DatabaseState = Pick<SandboxState, 'pgDir' | 'logFile' | 'socketDir' | 'host' | 'port' | 'pgVersion' | 'superuser' | 'database' | 'user'>;

/** The extensions CATMAID needs; not trusted ones (PostGIS), so only a superuser can create them. */
export const EXTENSIONS = ['postgis', 'pg_trgm'] as const;

const literal = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/**
 * What an admin does as the Postgres superuser before CATMAID's first migrate: the CATMAID role (never a
 * superuser), its database, and the extensions in it, which therefore belong to the superuser.
 */
export async function createRoleAndDatabase(owner: ClusterOwner, state: DatabaseState, password: string): Promise<void> {
  await superuserSql(owner, state, [
    `CREATE ROLE ${state.user} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD ${literal(password)};`,
    `CREATE DATABASE ${state.database} OWNER ${state.user};`,
    '',
  ].join('\n'));
  const available = await superuserSql(owner, state,
    `SELECT name FROM pg_available_extensions WHERE name IN (${EXTENSIONS.map(literal).join(', ')}) ORDER BY name;`);
  const missing = EXTENSIONS.filter((name) => !available.split('\n').includes(name));
  if (missing.length > 0) {
    throw new CliError(`PostgreSQL ${state.pgVersion} lacks the extension(s) ${missing.join(', ')} that CATMAID needs`, undefined,
      `apt-get install postgresql-${state.pgVersion}-postgis-3 postgresql-contrib`);
  }
  await superuserSql(owner, state, EXTENSIONS.map((name) => `CREATE EXTENSION ${name};`).join('\n'), state.database);
}

/** Run SQL as the CATMAID role over TCP with its password (in psql's environment, never in argv). */
export async function roleSql(state: DatabaseState, password: string, sql: string): Promise<string> {
  const db = { name: state.database, user: state.user, password, host: state.host, port: state.port };
  const psql = pgBin('psql', state.pgVersion);
  const result = await execa(psql, ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-f', '-'], {
    env: libpqEnv(db), input: sql, reject: false, stripFinalNewline: true,
  });
  if (result.exitCode !== 0) throw new CliError(`SQL as ${state.user} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}
