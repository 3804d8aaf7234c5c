import fs from 'node:fs';
import path from 'node:path';

/** Where Debian and Ubuntu install each PostgreSQL major version's programs. */
const PG_LIB = '/usr/lib/postgresql';

/** Installed PostgreSQL major versions, newest first. */
export function installedPgVersions(root = PG_LIB): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch {
    return [];
  }
  return entries
    .filter((name) => /^\d+$/.test(name) && fs.existsSync(path.join(root, name, 'bin')))
    .map(Number)
    .sort((a, b) => b - a);
}

/**
 * Path of a PostgreSQL program (pg_dump, initdb, …). With `major`, that version's program (pg_dump must be at
 * least the server's version); else the newest installed. Falls back to the name alone (found on PATH).
 */
export function pgBin(program: string, major?: number, root = PG_LIB): string {
  const versions = installedPgVersions(root);
  const candidates = major === undefined ? versions : [...versions.filter((v) => v >= major).reverse()];
  for (const version of candidates) {
    const file = path.join(root, String(version), 'bin', program);
    if (fs.existsSync(file)) return file;
  }
  return program;
}
