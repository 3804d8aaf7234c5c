import { withClient } from '../db/connect.js';
import { CliError, oneLine } from '../errors.js';
import type { DatabaseSettings } from '../instance/types.js';
import { excludedByDefault } from './derived-tables.js';

export interface ServerFacts {
  version: string;
  major: number;
  sizeBytes: number;
  /** The derived, summary and cache tables that exist here: a backup leaves out their rows by default. */
  derivedTables: string[];
}

const SERVER_SQL = `SELECT current_setting('server_version') AS version,
  current_setting('server_version_num')::int AS num, pg_database_size(current_database()) AS size`;

export async function serverFacts(db: DatabaseSettings): Promise<ServerFacts> {
  try {
    return await withClient(db, async (client) => {
      const row = (await client.query(SERVER_SQL)).rows[0] as { version: string; num: number; size: string };
      return { version: row.version, major: Math.floor(row.num / 10000), sizeBytes: Number(row.size), derivedTables: await excludedByDefault(client) };
    });
  } catch (err) {
    throw new CliError(
      `cannot connect to database ${db.name} as ${db.user} on ${db.host || 'the local socket'}:${db.port}: ${oneLine(err)}`,
      1,
      'check DATABASES in settings.py and that PostgreSQL is running',
    );
  }
}
