import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { keepCopy } from '../file-copies.js';
import { readSettingsStatically } from '../instance/settings-static.js';
import type { DatabaseSettings, InstanceLayout } from '../instance/types.js';

/** libpq's rules: PGPASSFILE, else ~/.pgpass of the user who runs the program. */
export function pgpassFile(env: NodeJS.ProcessEnv = process.env, home = os.homedir()): string {
  return env.PGPASSFILE || path.join(home, '.pgpass');
}

/** A socket connection (empty host or a socket folder) matches the `localhost` host field. */
export function pgpassHost(host: string): string {
  return host === '' || host.startsWith('/') ? 'localhost' : host;
}

const escape = (field: string): string => field.replace(/\\/g, '\\\\').replace(/:/g, '\\:');

export function pgpassLine(db: DatabaseSettings): string {
  return [pgpassHost(db.host), String(db.port), db.name, db.user, db.password].map(escape).join(':');
}

/** The five fields of a line, unescaped; null for comments, blanks and malformed lines (libpq skips those). */
export function parsePgpassLine(line: string): string[] | null {
  if (line.trim() === '' || line.startsWith('#')) return null;
  const fields: string[] = [''];
  for (let i = 0; i < line.length; i += 1) {
    const ch = line[i];
    if (ch === '\\' && i + 1 < line.length) fields[fields.length - 1] += line[++i];
    else if (ch === ':' && fields.length < 5) fields.push('');
    else fields[fields.length - 1] += ch;
  }
  return fields.length === 5 ? fields : null;
}

function matches(fields: string[], db: DatabaseSettings, exact: boolean): boolean {
  const wanted = [pgpassHost(db.host), String(db.port), db.name, db.user];
  return wanted.every((w, i) => fields[i] === w || (!exact && fields[i] === '*'));
}

/** The password libpq would use: the first matching line wins, wildcards included. */
export function pgpassPasswordFor(content: string, db: DatabaseSettings): string | null {
  for (const line of content.split('\n')) {
    const fields = parsePgpassLine(line);
    if (fields && matches(fields, db, false)) return fields[4];
  }
  return null;
}

/**
 * The file's content with this instance's line: unchanged when it is already there, the password updated in place
 * when the same host/port/database/user line has another one, else appended.
 */
export function mergePgpass(content: string, db: DatabaseSettings): { content: string; changed: boolean } {
  const line = pgpassLine(db);
  const lines = content === '' ? [] : content.replace(/\n$/, '').split('\n');
  const at = lines.findIndex((l) => {
    const fields = parsePgpassLine(l);
    return fields !== null && matches(fields, db, true);
  });
  if (at >= 0 && lines[at] === line) return { content, changed: false };
  if (at >= 0) lines[at] = line;
  else lines.push(line);
  return { content: `${lines.join('\n')}\n`, changed: true };
}

export type PgpassCheck = { usable: true; file: string; fromSettings?: boolean } | { usable: false; file: string; reason: string };

/** Whether libpq would give this database's password from the file (it ignores a file readable by others). */
export async function checkPgpass(file: string, db: DatabaseSettings): Promise<PgpassCheck> {
  const stat = await fs.stat(file).catch(() => undefined);
  if (!stat) return { usable: false, file, reason: `${file} does not exist` };
  if ((stat.mode & 0o077) !== 0) {
    return { usable: false, file, reason: `${file} has mode ${(stat.mode & 0o777).toString(8)}; libpq ignores it unless it is 0600` };
  }
  const password = pgpassPasswordFor(await fs.readFile(file, 'utf8'), db);
  if (password === null) return { usable: false, file, reason: `${file} has no line for ${db.user}@${pgpassHost(db.host)}:${db.port}/${db.name}` };
  if (password !== db.password) return { usable: false, file, reason: `${file} has another password for ${db.user} than settings.py` };
  return { usable: true, file };
}

/**
 * Write the line into the file (mode 0600), without duplicating it; a file it changes is first copied into
 * catmaid-tui's state folder (the instance's, with `root`).
 */
export async function installPgpass(file: string, db: DatabaseSettings, root?: string): Promise<{ changed: boolean; copy?: string }> {
  const before = await fs.readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return null;
    throw err;
  });
  const merged = mergePgpass(before ?? '', db);
  if (!merged.changed) {
    await fs.chmod(file, 0o600);
    return { changed: false };
  }
  const copy = before === null ? undefined : await keepCopy(file, root);
  await writeFileAtomic(file, merged.content, { mode: 0o600 });
  return { changed: true, ...(copy ? { copy } : {}) };
}

/**
 * Whether a scheduled run, in cron's bare environment, gets the database password: settings.py holding it as a
 * plain value (catmaid-tui reads it there and gives it to pg_dump in PGPASSWORD, which libpq prefers to any
 * .pgpass), else a line in the cron user's .pgpass. A password Django computes (from the environment, a file) may
 * not be there under cron: then .pgpass decides.
 */
export async function checkScheduledPassword(file: string, db: DatabaseSettings, layout: InstanceLayout): Promise<PgpassCheck> {
  let literal = '';
  try {
    literal = readSettingsStatically(layout).database.password;
  } catch {
    // Not plain assignments: .pgpass decides.
  }
  if (db.password && literal === db.password) return { usable: true, file, fromSettings: true };
  return checkPgpass(file, db);
}
