import fs from 'node:fs';
import { execa } from 'execa';
import { isLocalHost } from '../../checkup/run.js';
import { localCluster } from '../../checkup/gather/disk.js';
import { withClient } from '../../db/connect.js';
import { postgisStatus, type PostgisStatus } from '../../db/postgis.js';
import { oneLine } from '../../errors.js';
import type { InstanceInfo } from '../../instance/types.js';

/** What is installed, read at run time, to hold the requirements against. Each part unknown (null) on its own. */
export interface HostFacts {
  /** `server_version`, e.g. `15.4`. */
  postgresql: string | null;
  postgis: PostgisStatus | { error: string };
  /** Of the instance's python (`django/env/bin/python`, or python3 without a virtualenv). */
  python: string | null;
  django: string | null;
  virtualenv: boolean;
  /** Whether the CATMAID role is a PostgreSQL superuser. */
  superuser: boolean | null;
  databaseBytes: number | null;
  /** Free space on the volume of the cluster's data directory (local clusters only). */
  free: { bytes: number; where: string } | null;
}

const PYTHON = `import sys
print('%d.%d.%d' % sys.version_info[:3])
try:
    import django
    print(django.__version__)
except Exception:
    print('')`;

async function pythonFacts(python: string): Promise<{ python: string | null; django: string | null }> {
  const result = await execa(python, ['-c', PYTHON], { reject: false, timeout: 20_000, env: { PYTHONDONTWRITEBYTECODE: '1' } });
  if (result.exitCode !== 0) return { python: null, django: null };
  const [version, django] = `${result.stdout}`.split('\n');
  return { python: version?.trim() || null, django: django?.trim() || null };
}

async function roleFacts(info: InstanceInfo): Promise<{ superuser: boolean | null; dataDirectory: string | null }> {
  try {
    return await withClient(info.settings.settings.database, async (client) => {
      const su = (await client.query<{ rolsuper: boolean }>('SELECT rolsuper FROM pg_roles WHERE rolname = current_user')).rows[0]?.rolsuper ?? null;
      // data_directory is hidden from roles without pg_read_all_settings: then the local postmaster tells.
      const dir = await client.query<{ d: string }>("SELECT current_setting('data_directory') AS d").then((r) => r.rows[0]?.d ?? null, () => null);
      return { superuser: su, dataDirectory: dir };
    }, { connectionTimeoutMillis: 3000, query_timeout: 5000 });
  } catch {
    return { superuser: null, dataDirectory: null };
  }
}

async function freeSpace(info: InstanceInfo, dataDirectory: string | null): Promise<HostFacts['free']> {
  const db = info.settings.settings.database;
  if (!isLocalHost(db.host)) return null;
  const dir = dataDirectory ?? (await localCluster(db.port))?.dataDir ?? null;
  if (!dir) return null;
  try {
    const stat = fs.statfsSync(dir);
    return { bytes: stat.bavail * stat.bsize, where: dir };
  } catch {
    return null;
  }
}

export async function readHostFacts(info: InstanceInfo): Promise<HostFacts> {
  const db = info.settings.settings.database;
  const [py, role, postgis] = await Promise.all([
    pythonFacts(info.layout.python),
    roleFacts(info),
    postgisStatus(db).catch((err: unknown) => ({ error: oneLine(err) })),
  ]);
  return {
    postgresql: info.database.reachable ? (info.database.serverVersion ?? null) : null,
    postgis,
    python: py.python,
    django: py.django,
    virtualenv: info.layout.virtualenv,
    superuser: role.superuser,
    databaseBytes: info.database.sizeBytes ?? null,
    free: await freeSpace(info, role.dataDirectory),
  };
}
