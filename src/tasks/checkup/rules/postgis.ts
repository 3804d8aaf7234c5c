import { POSTGIS_UPDATE, postgisFixText, type PostgisStatus } from '../../db/postgis.js';
import type { Check, CheckupInputs } from '../types.js';

const SOURCE = "CATMAID administration manual (\"updating PostGIS on your host system could cause CATMAID to stop working\"); PostgreSQL docs, ALTER EXTENSION";

/**
 * pg.postgis: the PostGIS the host's package provides against the extension in every database of the cluster.
 * A package upgrade alone leaves the databases behind; the fix runs `ALTER EXTENSION postgis UPDATE;` in each
 * as the cluster's superuser (who owns the extension).
 */
export function postgisCheck(inputs: CheckupInputs): Check | null {
  const status: PostgisStatus | { error: string } | undefined = inputs.postgis;
  if (!status) return null;
  const base = { id: 'pg.postgis', group: 'database' as const, title: 'PostGIS', source: SOURCE };
  const why = 'The host\'s PostGIS package (library and scripts) and the extension recorded in each database must be the same version; after a package upgrade CATMAID\'s spatial queries can fail until the extension is updated.';
  if ('error' in status) return { ...base, status: 'info', current: `not checked: ${status.error}`, suggested: null, why, fix: null };
  if (!status.available) return { ...base, status: 'info', current: 'not installed on the database host', suggested: null, why, fix: null };
  const inUse = status.databases.filter((d) => d.version !== null);
  const current = inUse.length === 0 ? `${status.available} available, in no database` : `library ${status.available}; ${inUse.map((d) => `${d.name} ${d.version}`).join(', ')}`;
  if (status.behind.length === 0) return { ...base, status: 'ok', current, suggested: null, why, fix: null };
  return {
    ...base,
    status: 'fail',
    current,
    suggested: `${status.available} in ${status.behind.map((d) => d.name).join(', ')}`,
    why,
    fix: { kind: 'superuser-sql', databases: status.behind.map((d) => d.name), statements: [POSTGIS_UPDATE], text: postgisFixText(status.behind.map((d) => d.name)) },
  };
}
