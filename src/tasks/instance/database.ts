import { withClient } from '../db/connect.js';
import { oneLine } from '../errors.js';
import type { DatabaseSettings, DatabaseState } from './types.js';

const PROBE = `SELECT current_setting('server_version') AS version,
  current_setting('server_version_num')::int AS version_num,
  pg_database_size(current_database()) AS size`;

/** Is the database reachable with the instance's credentials; its version and size. */
export async function probeDatabase(db: DatabaseSettings, timeoutMs = 3000): Promise<DatabaseState> {
  try {
    return await withClient(
      db,
      async (client) => {
        const { rows } = await client.query<{ version: string; version_num: number; size: string }>(PROBE);
        return {
          reachable: true,
          serverVersion: rows[0].version.split(' ')[0],
          serverVersionNum: rows[0].version_num,
          sizeBytes: Number(rows[0].size),
        };
      },
      { connectionTimeoutMillis: timeoutMs, query_timeout: timeoutMs },
    );
  } catch (err) {
    return { reachable: false, error: oneLine(err) || (err as { code?: string }).code || 'connection failed' };
  }
}
