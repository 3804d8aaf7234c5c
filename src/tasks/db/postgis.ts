import { oneLine } from '../errors.js';
import type { NoticeProvider } from '../instance/notices.js';
import type { DatabaseSettings } from '../instance/types.js';
import { runAsSuperuser, superuserRoute, superuserSql, type SuperuserRoute } from '../checkup/superuser.js';
import { withClient } from './connect.js';

/**
 * PostGIS in every database of the cluster, against what the host's PostGIS package provides. A package
 * upgrade on the host changes the library and the extension's scripts (`default_version` of
 * pg_available_extensions) but not the extension in the databases (`pg_extension.extversion`): until
 * `ALTER EXTENSION postgis UPDATE;` runs in each of them, as the superuser (who owns the extension), CATMAID can
 * stop working. CATMAID's administration manual warns of exactly this; a CATMAID update does not cause it.
 */
export interface PostgisDatabase {
  name: string;
  /** `pg_extension.extversion`, null when the database has no PostGIS. */
  version: string | null;
  /** Set when the database could not be read (then `version` is unknown). */
  error?: string;
}

export interface PostgisStatus {
  /** The version the installed package provides (its scripts and library), null when PostGIS is not installed. */
  available: string | null;
  databases: PostgisDatabase[];
  /** Databases whose extension is not at `available`. */
  behind: PostgisDatabase[];
  /** The instance's own database. */
  instance: string;
}

const AVAILABLE = "SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'";
const DATABASES = 'SELECT datname FROM pg_database WHERE datallowconn ORDER BY datname';
const EXTENSION = "SELECT extversion FROM pg_extension WHERE extname = 'postgis'";

const quick = { connectionTimeoutMillis: 3000, query_timeout: 5000 };

/** The extension's version in one database: as the CATMAID role, else as the superuser when root may. */
async function versionIn(db: DatabaseSettings, name: string, route: () => Promise<SuperuserRoute | null>): Promise<PostgisDatabase> {
  try {
    const rows = await withClient({ ...db, name }, async (client) => (await client.query<{ extversion: string }>(EXTENSION)).rows, quick);
    return { name, version: rows[0]?.extversion ?? null };
  } catch (err) {
    const su = await route();
    if (!su) return { name, version: null, error: oneLine(err) };
    try {
      const out = (await superuserSql(su, name, `${EXTENSION};\n`)).trim();
      return { name, version: out || null };
    } catch (suErr) {
      return { name, version: null, error: oneLine(suErr) };
    }
  }
}

export async function postgisStatus(db: DatabaseSettings): Promise<PostgisStatus> {
  const { available, names } = await withClient(db, async (client) => ({
    available: (await client.query<{ default_version: string }>(AVAILABLE)).rows[0]?.default_version ?? null,
    names: (await client.query<{ datname: string }>(DATABASES)).rows.map((r) => r.datname),
  }), quick);
  let routed: Promise<SuperuserRoute | null> | undefined;
  const route = () => (routed ??= superuserRoute(db, undefined, 'reading PostGIS in a database the CATMAID role cannot enter').catch(() => null));
  const databases = await Promise.all(names.map((name) => versionIn(db, name, route)));
  const behind = available ? databases.filter((d) => d.version !== null && d.version !== available) : [];
  return { available, databases, behind, instance: db.name };
}

export const POSTGIS_UPDATE = 'ALTER EXTENSION postgis UPDATE;';

/** What an admin types, per database, as the superuser. */
export function postgisFixText(databases: readonly string[]): string {
  return databases.map((name) => `sudo -u postgres psql -d ${name} -c '${POSTGIS_UPDATE}'`).join('\n');
}

/** `ALTER EXTENSION postgis UPDATE;` in each database behind, as the cluster's superuser (root on the database host). */
export function updatePostgis(db: DatabaseSettings, databases: readonly string[]): Promise<string[]> {
  return runAsSuperuser(db, databases, [POSTGIS_UPDATE], postgisFixText(databases));
}

/** Home and `info`: a PostGIS extension behind the host's library, in any database of the cluster. */
export const postgisNotices: NoticeProvider = {
  id: 'postgis',
  read: async (info) => {
    if (!info.database.reachable) return [];
    const status = await postgisStatus(info.settings.settings.database);
    if (status.behind.length === 0) return [];
    return [{
      id: 'postgis.behind',
      severity: 'fail',
      text: `PostGIS extension behind the library ${status.available} in ${status.behind.map((d) => `${d.name} (${d.version})`).join(', ')}: ALTER EXTENSION postgis UPDATE`,
      command: 'catmaid-tui checkup --apply pg.postgis',
      screen: 'checkup',
    }];
  },
};
