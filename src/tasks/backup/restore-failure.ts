import { CliError } from '../errors.js';
import type { LoadFailure } from './restore-run.js';

/**
 * A restore that failed, told as the admin needs it: which objects failed (one line each), whether the database
 * is unchanged (a load in one transaction was rolled back), and the command that would succeed.
 */
export class RestoreFailure extends CliError {
  constructor(
    readonly failed: string[],
    readonly unchanged: boolean,
    readonly retry: string,
  ) {
    super(
      unchanged
        ? `the restore failed and was rolled back: the database is unchanged`
        : 'the restore failed part way (parallel jobs are not one transaction): the database may be half-restored',
      1,
      retry,
    );
    this.name = 'RestoreFailure';
  }

  /** The lines the CLI prints before its one-line error. */
  lines(): string[] {
    return this.failed.map((f) => `failed: ${f}`);
  }
}

/** `extension postgis: must be owner of extension postgis` from psql's or pg_restore's words. */
export function failedObjects(errors: readonly string[]): string[] {
  const found: string[] = [];
  for (const line of errors) {
    const error = /ERROR:\s+(.*)$/.exec(line)?.[1];
    if (!error) continue;
    const object =
      /must be owner of (\w+(?: \w+)?) ("?[\w.]+"?)/.exec(error)?.slice(1, 3).join(' ') ??
      /permission denied for (\w+) ("?[\w.]+"?)/.exec(error)?.slice(1, 3).join(' ') ??
      /(relation|role|schema|type|function|extension) "([^"]+)" does not exist/.exec(error)?.slice(1, 3).join(' ') ??
      /(extension|relation|role) "([^"]+)" already exists/.exec(error)?.slice(1, 3).join(' ');
    const text = object ? `${object.replace(/"/g, '')}: ${error}` : error;
    if (!found.includes(text)) found.push(text);
  }
  return found;
}

/** The command that would succeed after such errors, given how this restore ran. */
export function retryCommand(errors: readonly string[], file: string, asSuperuser: boolean): string {
  const text = errors.join('\n');
  const quoted = /^[\w@%+=:,./-]+$/.test(file) ? file : `'${file.replace(/'/g, `'\\''`)}'`;
  if (!asSuperuser && /must be owner|permission denied|must be superuser/.test(text)) {
    return `as root on the database host, as the PostgreSQL superuser: catmaid-tui restore ${quoted} --as-superuser`;
  }
  if (/role "[^"]+" does not exist/.test(text)) return `with the roles of the old cluster: catmaid-tui restore ${quoted} --as-superuser --globals FILE.globals`;
  if (/could not obtain lock|deadlock|canceling statement due to lock timeout/.test(text)) {
    return `end the sessions that hold locks (catmaid-tui monitor), then: catmaid-tui restore ${quoted}`;
  }
  return `read the task log, mend the dump or the database, then: catmaid-tui restore ${quoted}`;
}

export function restoreFailure(err: LoadFailure, file: string, asSuperuser: boolean): RestoreFailure {
  const failed = failedObjects(err.errors);
  return new RestoreFailure(failed.length ? failed : [err.message], err.unchanged, retryCommand(err.errors, file, asSuperuser));
}
