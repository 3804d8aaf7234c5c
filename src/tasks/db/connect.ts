import pg from 'pg';
import type { DatabaseSettings } from '../instance/types.js';

/**
 * node-postgres settings for the instance's database. An empty host means the local socket, as for libpq;
 * node-postgres needs the socket folder for that, Debian's is /var/run/postgresql.
 */
export function clientConfig(db: DatabaseSettings, extra: Partial<pg.ClientConfig> = {}): pg.ClientConfig {
  return {
    host: db.host || '/var/run/postgresql',
    port: db.port,
    database: db.name,
    user: db.user,
    password: db.password,
    application_name: 'catmaid-tui',
    connectionTimeoutMillis: 5000,
    ...extra,
  };
}

/** Open a connection, run `work`, always close it. */
export async function withClient<T>(
  db: DatabaseSettings,
  work: (client: pg.Client) => Promise<T>,
  extra: Partial<pg.ClientConfig> = {},
): Promise<T> {
  const client = new pg.Client(clientConfig(db, extra));
  // An error event on an idle client would otherwise crash the process.
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/**
 * Environment for libpq programs (pg_dump, psql, pg_restore): the password travels in the child's environment,
 * never in argv.
 */
export function libpqEnv(db: DatabaseSettings, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base, PGDATABASE: db.name, PGUSER: db.user, PGPORT: String(db.port) };
  if (db.host) env.PGHOST = db.host;
  else delete env.PGHOST;
  if (db.password) env.PGPASSWORD = db.password;
  return env;
}
