import type pg from 'pg';
import { withClient } from '../db/connect.js';
import { CliError, RefusedError, UsageError, oneLine } from '../errors.js';
import { readSettingsFromDjango } from '../instance/settings-django.js';
import type { InstanceInfo } from '../instance/types.js';
import { applyManagedBlock, restoreContent } from '../settings-block.js';
import { readSettingsRows } from './gather/postgres.js';
import { alterSystemSql } from './sql-text.js';
import { runAsSuperuser, superuserRoute, superuserSql } from './superuser.js';
import type { Check, Fix } from './types.js';
import { validateSetting } from './validate.js';

export interface ApplyResult {
  id: string;
  /** What was done, one line each. */
  lines: string[];
  restartNeeded: boolean;
  /** settings.py's backup copy, for settings changes. */
  backup?: string;
}

/** What `--apply` will do, shown before asking. */
export function describeFix(check: Check, info: InstanceInfo): string {
  const fix = check.fix;
  if (!fix) return `${check.id}: nothing to apply`;
  if (fix.kind === 'settings') return `${check.id}: add to ${info.layout.settingsPy} (managed block "${fix.blockId}", backup kept):\n${fix.text}`;
  if (fix.kind === 'manual') return `${check.id}: a manual change:\n${fix.text}`;
  if (fix.kind === 'superuser-sql') return `${check.id}: run as the database superuser:\n${fix.text}`;
  return `${check.id}: run on ${info.settings.settings.database.name}:\n${fix.text}`;
}

/** The check's fix, or an error saying why it cannot be applied. */
export function fixOf(check: Check | undefined, id: string, known: string[]): Exclude<Fix, { kind: 'manual' }> {
  if (!check) throw new UsageError(`no check "${id}"`, `known: ${known.join(', ')}`);
  if (!check.fix) throw new UsageError(`${id} has nothing to apply (${check.status})`);
  if (check.fix.kind === 'manual') throw new UsageError(`${id} is a manual change: ${check.fix.text.split('\n')[0]}`, 'make it by hand; catmaid-tui does not edit it');
  return check.fix;
}

async function alterSystem(info: InstanceInfo, client: pg.Client, parameter: string, value: string): Promise<ApplyResult> {
  const rows = await readSettingsRows(client, [parameter, 'unix_socket_directories']);
  const row = rows[parameter];
  if (!row) throw new UsageError(`PostgreSQL has no parameter ${parameter}`);
  const valid = validateSetting(row, value);
  if (!valid.ok) throw new RefusedError(`PostgreSQL would not accept ${parameter} = '${value}': ${valid.reason}`);
  const sql = alterSystemSql(parameter, value);
  const lines = [`${parameter} = '${value}' is within PostgreSQL's limits for it`];
  try {
    await client.query(sql);
    await client.query('SELECT pg_reload_conf()');
    lines.push(`ran ${sql} and reloaded the configuration`);
  } catch (err) {
    if ((err as { code?: string }).code !== '42501') throw new CliError(`${sql} failed: ${oneLine(err)}`);
    const route = await superuserRoute(info.settings.settings.database, rows.unix_socket_directories?.setting);
    await superuserSql(route, info.settings.settings.database.name, `${sql}\nSELECT pg_reload_conf();\n`);
    lines.push(`ran ${sql} as ${route.osUser} (the CATMAID role is no superuser) and reloaded the configuration`);
  }
  const after = await client.query<{ pending_restart: boolean }>('SELECT pending_restart FROM pg_settings WHERE name = $1', [parameter]);
  const restartNeeded = row.context === 'postmaster' || after.rows[0]?.pending_restart === true;
  lines.push(restartNeeded ? `takes effect after a restart of PostgreSQL (${parameter} is a server-start setting)` : 'in effect now');
  return { id: '', lines, restartNeeded };
}

async function runStatements(info: InstanceInfo, statements: string[]): Promise<ApplyResult> {
  return withClient(info.settings.settings.database, async (client) => {
    for (const statement of statements) {
      try {
        await client.query(statement);
      } catch (err) {
        throw new CliError(`${statement} failed: ${oneLine(err)}`);
      }
    }
    return { id: '', lines: statements.map((s) => `ran ${s}`), restartNeeded: false };
  }, { query_timeout: 0 });
}

/** The managed block, then Django must still import the settings; if not, the old file comes back. */
async function changeSettings(info: InstanceInfo, blockId: string, lines: string[]): Promise<ApplyResult> {
  const file = info.layout.settingsPy;
  const change = await applyManagedBlock(file, blockId, lines, info.layout.root);
  if (!change.changed) return { id: '', lines: [`${file} already has this block`], restartNeeded: false };
  try {
    await readSettingsFromDjango(info.layout);
  } catch (err) {
    await restoreContent(file, change.before);
    throw new CliError(`settings.py no longer imports after the change (${oneLine(err)}); the old file is back`);
  }
  return {
    id: '',
    lines: [`wrote ${lines.join('; ')} to ${file} (block "${blockId}")`, `backup: ${change.backup}`, 'settings.py imports: ok', 'restart the WSGI server for Django to use it'],
    restartNeeded: false,
    backup: change.backup,
  };
}

/** Apply one check's fix. Confirmation is the caller's job (the command asks or takes --yes; the screen asks). */
export async function applyFix(info: InstanceInfo, check: Check): Promise<ApplyResult> {
  const fix = fixOf(check, check.id, [check.id]);
  let result: ApplyResult;
  switch (fix.kind) {
    case 'alter-system':
      result = await withClient(info.settings.settings.database, (client) => alterSystem(info, client, fix.parameter, fix.value));
      break;
    case 'alter-role':
      result = await runStatements(info, fix.statements);
      result.lines.push('new connections of the role get these settings');
      break;
    case 'sql':
      result = await runStatements(info, fix.statements);
      break;
    case 'settings':
      result = await changeSettings(info, fix.blockId, fix.lines);
      break;
    case 'superuser-sql':
      result = { id: '', lines: await runAsSuperuser(info.settings.settings.database, fix.databases, fix.statements, fix.text), restartNeeded: false };
      break;
  }
  return { ...result, id: check.id };
}
