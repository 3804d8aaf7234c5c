import fs from 'node:fs/promises';
import { execa } from 'execa';
import { CliError, RefusedError } from '../errors.js';
import type { DatabaseSettings } from '../instance/types.js';
import type { BackupFolder } from './folder.js';
import type { BackupManifest } from './manifest.js';
import { digestPath } from './verify.js';
import { superuserCommand, superuserSql, type Superuser } from './superuser.js';

/**
 * Roles and other cluster-wide settings are not in a pg_dump. CATMAID's administration manual keeps them apart,
 * as the superuser: `pg_dumpall --globals-only`. The file holds password hashes: it is written owner-only, next to
 * the dump, named `<dump>.globals`, and recorded in the manifest.
 */
export const globalsName = (dumpName: string): string => `${dumpName}.globals`;

/** pg_dumpall --globals-only as the superuser, into `fd` (a file catmaid-tui created 0600, O_EXCL|O_NOFOLLOW). */
export async function dumpGlobals(su: Superuser, pgDumpall: string, fd: number): Promise<void> {
  const command = superuserCommand(su, pgDumpall, ['--globals-only', '--no-password']);
  const run = await execa(command.file, command.args, {
    reject: false,
    extendEnv: false,
    env: { PATH: process.env.PATH },
    // A descriptor number goes straight to child_process.spawn (see dump.ts).
    stdout: fd as unknown as 'ignore',
    stderr: 'pipe',
  });
  if (run.exitCode !== 0) throw new CliError(`pg_dumpall --globals-only failed: ${run.stderr.trim().split('\n').at(-1) ?? `exit ${run.exitCode}`}`, 1);
}

/**
 * The globals of the cluster into `<dump>.globals` in the opened backup folder: created O_EXCL|O_NOFOLLOW and 0600
 * by catmaid-tui, written by pg_dumpall through that descriptor, flushed; its name and checksum for the manifest.
 */
export async function writeGlobals(folder: BackupFolder, dumpName: string, su: Superuser, pgDumpall: string): Promise<NonNullable<BackupManifest['globals']>> {
  const file = globalsName(dumpName);
  const { O_WRONLY, O_CREAT, O_EXCL, O_NOFOLLOW } = fs.constants;
  const handle = await fs.open(folder.at(file), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0o600);
  try {
    await dumpGlobals(su, pgDumpall, handle.fd);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return { file, ...(await digestPath(folder.at(file))) };
}

const ident = (name: string): string => (/^[a-z_][a-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`);

/** The statements of a globals file that create one role and give it its attributes (its password hash included). */
export function roleStatements(globals: string, role: string): string[] {
  const name = ident(role).replace(/[$^\\.*+?()[\]{}|]/g, '\\$&');
  return globals.split('\n').filter((line) => new RegExp(`^(CREATE|ALTER) ROLE ${name}( |;)`).test(line));
}

export interface ClusterGaps {
  role: boolean;
  database: boolean;
}

/** What a new cluster lacks for this database: the CATMAID role, the database itself. */
export async function clusterGaps(su: Superuser, psql: string, db: DatabaseSettings): Promise<ClusterGaps> {
  const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
  const out = await superuserSql(su, psql, `SELECT (SELECT count(*) FROM pg_roles WHERE rolname = ${literal(db.user)}) || ',' ||
    (SELECT count(*) FROM pg_database WHERE datname = ${literal(db.name)});`);
  const [role, database] = out.trim().split(',').map(Number);
  return { role: role === 0, database: database === 0 };
}

/**
 * Fill the gaps as the superuser: the role from the globals file (the manifest's, or one named), the database
 * owned by it. The CATMAID role never becomes a superuser: only its own lines of the file are run.
 */
export async function fillGaps(su: Superuser, psql: string, db: DatabaseSettings, gaps: ClusterGaps, globalsFile: string | null): Promise<string[]> {
  const done: string[] = [];
  if (gaps.role) {
    if (!globalsFile) {
      throw new RefusedError(`role ${db.user} does not exist in this cluster and no globals file was given`, 'catmaid-tui restore FILE --as-superuser --globals FILE.globals (made by backup --globals)');
    }
    const statements = roleStatements(await fs.readFile(globalsFile, 'utf8'), db.user);
    if (!statements.some((s) => s.startsWith('CREATE'))) throw new RefusedError(`${globalsFile} does not create role ${db.user}`, 'name the globals file of a backup of this instance');
    await superuserSql(su, psql, `${statements.join('\n')}\nALTER ROLE ${ident(db.user)} NOSUPERUSER;\n`);
    done.push(`role ${db.user} created from ${globalsFile}`);
  }
  if (gaps.database) {
    await superuserSql(su, psql, `CREATE DATABASE ${ident(db.name)} OWNER ${ident(db.user)};\n`);
    done.push(`database ${db.name} created, owned by ${db.user}`);
  }
  return done;
}
