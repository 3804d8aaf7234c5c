import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgBin } from '../../src/tasks/pg-bin.js';
import { createUpdateWorld, type UpdateWorld } from './update-fixtures.js';

/**
 * A PostGIS extension behind the library, made for real: the extension scripts PostGIS ships hold, next to the
 * upgrade paths from older releases, a path from the installed version to `<version>next` and back (PostGIS's
 * own way to force an upgrade). The extension is moved along it in two databases (one the CATMAID role cannot
 * enter), so `pg_extension.extversion` differs from the version the installed package provides — the state a
 * host package upgrade leaves. Pre-flight, checkup and info find it; `checkup --apply pg.postgis` fixes it as the
 * superuser. (An extension older than the library cannot be made here: the package ships no install script of
 * an older version.)
 */
let world: UpdateWorld;
let available: string;
let other: string;
const OTHER_DB = 'gis_other';

async function asSuperuser(database: string, sql: string): Promise<string> {
  const sb = world.sandbox;
  const psql = pgBin('psql', sb.pgVersion);
  const args = ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-h', sb.socketDir, '-p', String(sb.port), '-U', sb.superuser, '-d', database, '-c', sql];
  const run = process.getuid?.() === 0 ? await execa('runuser', ['-u', sb.superuser, '--', psql, ...args]) : await execa(psql, args);
  return run.stdout.trim();
}

beforeAll(async () => {
  world = await createUpdateWorld();
  const db = world.sandbox.database;
  await asSuperuser(db, 'CREATE EXTENSION IF NOT EXISTS postgis');
  available = await asSuperuser(db, "SELECT default_version FROM pg_available_extensions WHERE name = 'postgis'");
  // A version the shipped scripts lead to from the installed one and back again.
  other = await asSuperuser(db, `SELECT a.target FROM pg_extension_update_paths('postgis') a JOIN pg_extension_update_paths('postgis') b
    ON b.source = a.target AND b.target = a.source WHERE a.source = '${available}' AND a.path IS NOT NULL AND b.path IS NOT NULL ORDER BY length(a.path) LIMIT 1`);
  expect(other).not.toBe('');
  await asSuperuser('postgres', `CREATE DATABASE ${OTHER_DB}`);
  await asSuperuser('postgres', `REVOKE CONNECT ON DATABASE ${OTHER_DB} FROM PUBLIC`);
  for (const name of [db, OTHER_DB]) await asSuperuser(name, `CREATE EXTENSION IF NOT EXISTS postgis; ALTER EXTENSION postgis UPDATE TO '${other}'`);
});
afterAll(async () => {
  await world?.destroy();
});

describe('a PostGIS extension behind the host library', () => {
  it('refuses the update in pre-flight (exit 3) with the fix for every database', async () => {
    const run = await world.cli(['update', '--dry-run']);
    expect(run.exitCode).toBe(3);
    expect(run.stdout).toContain(`✗ PostGIS library ${available}, extension ${other} in catmaid, ${OTHER_DB} (override: --ignore-requirement postgis)`);
    expect(run.stdout).toContain(`sudo -u postgres psql -d ${OTHER_DB} -c 'ALTER EXTENSION postgis UPDATE;'`);
    expect(run.stderr).toContain('hint: --ignore-requirement postgis');
  });

  it('is a failed pg.postgis check, a notice in info, and checkup --apply pg.postgis fixes it in each database', async () => {
    const report = JSON.parse((await world.cli(['checkup', '--json', '--samples', '0'])).stdout) as { checks: { id: string; status: string; fix: { kind: string; databases: string[] } | null }[] };
    expect(report.checks.find((c) => c.id === 'pg.postgis')).toMatchObject({ status: 'fail', fix: { kind: 'superuser-sql', databases: ['catmaid', OTHER_DB] } });
    const info = await world.cli(['info']);
    expect(info.stdout).toContain(`✗ PostGIS extension behind the library ${available} in catmaid (${other}), ${OTHER_DB} (${other}): ALTER EXTENSION postgis UPDATE (catmaid-tui checkup --apply pg.postgis)`);

    const apply = await world.cli(['checkup', '--apply', 'pg.postgis', '--yes', '--samples', '0']);
    expect(apply.exitCode).toBe(0);
    expect(apply.stderr).toContain(`pg.postgis: run as the database superuser:\nsudo -u postgres psql -d catmaid -c 'ALTER EXTENSION postgis UPDATE;'`);
    expect(`${apply.stdout}${apply.stderr}`).toContain(`ran ALTER EXTENSION postgis UPDATE; in ${OTHER_DB} as ${world.sandbox.superuser}`);
    for (const name of [world.sandbox.database, OTHER_DB]) expect(await asSuperuser(name, "SELECT extversion FROM pg_extension WHERE extname = 'postgis'")).toBe(available);

    const after = JSON.parse((await world.cli(['checkup', '--json', '--samples', '0'])).stdout) as { checks: { id: string; status: string }[] };
    expect(after.checks.find((c) => c.id === 'pg.postgis')?.status).toBe('ok');
    expect((await world.cli(['update', '--dry-run'])).stdout).toMatch(new RegExp(`✓ PostGIS ${available.replace(/\./g, '\\.')}, extension up to date in catmaid, ${OTHER_DB}`));
  });
});
