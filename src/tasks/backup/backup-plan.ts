import fs from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { parseDestination, rsyncShell } from './copy-destination.js';
import { parseDuration } from './health.js';
import type { BackupFormat } from './naming.js';
import { checkMailAddress, notifyCommandOf } from './notify.js';
import { scheduleRecipients } from './recipients.js';
import { policyText, type RetentionPolicy } from './retention.js';

/**
 * What the scheduled backup does around the dump: its retention, encryption, copies, who hears of a failure and
 * how often it is proven by a restore. It lives in the crontab line itself, as `backup` options (what cron runs is
 * what the admin reads with `crontab -l`), and is read back from there by the screens.
 */
export interface BackupPlan {
  format?: BackupFormat;
  globals?: boolean;
  retention: RetentionPolicy;
  /** The recipients file in catmaid-tui's config folder (recipients.ts). */
  encryptTo?: string;
  copyTo: string[];
  sshConfig?: string;
  mailTo?: string;
  /** As given: a program's path or a JSON array of it and its arguments. */
  notifyCommand?: string;
  restoreTestEvery?: string;
  restoreTestIdentity?: string;
}

export const EMPTY_PLAN: BackupPlan = { retention: {}, copyTo: [] };

/** What the admin asked for (flags of `schedule backup`, or the Schedule screen's fields), before it is checked. */
export interface PlanRequest extends Omit<BackupPlan, 'encryptTo'> {
  /** `--encrypt-to` values: public keys, or one recipients file of the admin's own. */
  encryptTo: readonly string[];
}

/**
 * The request checked as the scheduled run will check it (bad values are a UsageError now, not a failed night),
 * with paths made absolute (cron starts in the home folder). `keys`: what the instance's recipients file
 * (`ownRecipients`) must hold, written on install.
 */
export function checkedPlan(request: PlanRequest, ownRecipients: string): { plan: BackupPlan; keys: string[] } {
  const recipients = scheduleRecipients(request.encryptTo, ownRecipients);
  if (request.notifyCommand !== undefined) notifyCommandOf(request.notifyCommand);
  if (request.mailTo !== undefined) checkMailAddress(request.mailTo);
  if (request.restoreTestEvery !== undefined && parseDuration(request.restoreTestEvery) === null) {
    throw new UsageError(`--restore-test-every ${request.restoreTestEvery}: not a duration`, 'e.g. 7d, 1w, 12h');
  }
  if (request.sshConfig !== undefined) rsyncShell(request.sshConfig);
  // Found out at schedule time, not by the first night's restore test.
  if (recipients && request.restoreTestEvery && !request.restoreTestIdentity) {
    throw new UsageError('--restore-test-every of encrypted backups needs --restore-test-identity FILE', 'the age identity (private key) file the job\'s user can read; without it every restore test fails');
  }
  if (request.restoreTestIdentity && !fs.existsSync(request.restoreTestIdentity)) throw new UsageError(`--restore-test-identity ${request.restoreTestIdentity}: no such file`);
  if (request.format === 'directory' && recipients) throw new UsageError('--encrypt-to: the directory format cannot be encrypted', 'use --format sql or custom');
  const plan: BackupPlan = {
    ...(request.format && request.format !== 'sql' ? { format: request.format } : {}),
    ...(request.globals ? { globals: true } : {}),
    retention: { ...request.retention },
    ...(recipients ? { encryptTo: recipients.file } : {}),
    copyTo: request.copyTo.map((d) => parseDestination(d).text),
    ...(request.sshConfig ? { sshConfig: path.resolve(request.sshConfig) } : {}),
    ...(request.mailTo ? { mailTo: request.mailTo } : {}),
    ...(request.notifyCommand ? { notifyCommand: request.notifyCommand } : {}),
    ...(request.restoreTestEvery ? { restoreTestEvery: request.restoreTestEvery } : {}),
    ...(request.restoreTestIdentity ? { restoreTestIdentity: path.resolve(request.restoreTestIdentity) } : {}),
  };
  return { plan, keys: recipients?.keys ?? [] };
}

const RETENTION_FLAGS: [keyof RetentionPolicy, string][] = [['last', '--keep'], ['days', '--keep-days'], ['daily', '--keep-daily'], ['weekly', '--keep-weekly'], ['monthly', '--keep-monthly']];
const VALUE_FLAGS: [keyof BackupPlan, string][] = [['encryptTo', '--encrypt-to'], ['sshConfig', '--ssh-config'], ['mailTo', '--mail-to'], ['notifyCommand', '--notify-command'], ['restoreTestEvery', '--restore-test-every'], ['restoreTestIdentity', '--restore-test-identity']];

/** The plan as `backup` options. */
export function planArgs(plan: Partial<BackupPlan>): string[] {
  const args: string[] = [];
  if (plan.format && plan.format !== 'sql') args.push('--format', plan.format);
  for (const [key, flag] of RETENTION_FLAGS) if (plan.retention?.[key]) args.push(flag, String(plan.retention[key]));
  if (plan.globals) args.push('--globals');
  for (const [key, flag] of VALUE_FLAGS) if (plan[key]) args.push(flag, String(plan[key]));
  for (const destination of plan.copyTo ?? []) args.push('--copy-to', destination);
  return args;
}

/** The plan back from `backup` options (the inverse of planArgs; what it does not know it leaves alone). */
export function planOfArgs(args: readonly string[]): BackupPlan {
  const plan: BackupPlan = { retention: {}, copyTo: [] };
  for (let i = 0; i < args.length; i += 1) {
    const [flag, value] = [args[i], args[i + 1]];
    const retention = RETENTION_FLAGS.find(([, f]) => f === flag);
    const valued = VALUE_FLAGS.find(([, f]) => f === flag);
    if (flag === '--globals') plan.globals = true;
    else if (value === undefined) continue;
    else if (flag === '--format') plan.format = value as BackupFormat;
    else if (flag === '--copy-to') plan.copyTo.push(value);
    else if (retention) plan.retention[retention[0]] = Number(value);
    else if (valued) (plan as unknown as Record<string, string>)[valued[0]] = value;
    else continue;
    if (flag !== '--globals') i += 1;
  }
  return plan;
}

/**
 * The words of a crontab line's command: shell words as quoteArg writes them (bare, or in single quotes with
 * `'\''`), `\%` as cron wants it, up to the `>>` of the log.
 */
export function commandWordsOfLine(line: string): string[] {
  const words: string[] = [];
  const text = line.trim().split(/\s+/).slice(5).join(' ');
  let word = '';
  let started = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      word += text.slice(i + 1, end < 0 ? text.length : end).replace(/\\%/g, '%');
      started = true;
      i = end < 0 ? text.length : end;
    } else if (c === '\\' && text[i + 1] !== undefined) {
      word += text[i + 1];
      started = true;
      i += 1;
    } else if (c === ' ') {
      if (started) words.push(word);
      [word, started] = ['', false];
    } else {
      word += c;
      started = true;
    }
  }
  if (started) words.push(word);
  const log = words.indexOf('>>');
  return log < 0 ? words : words.slice(0, log);
}

/** An installed line's backup folder and plan (null when it is no catmaid-tui backup line). */
export function planOfLine(line: string | null): { outDir: string | null; plan: BackupPlan } | null {
  if (!line) return null;
  const words = commandWordsOfLine(line);
  const at = words.indexOf('backup');
  if (at < 0) return null;
  const rest = words.slice(at + 1);
  const out = rest.indexOf('--out');
  return { outDir: out >= 0 ? (rest[out + 1] ?? null) : null, plan: planOfArgs(rest) };
}

/** The plan in the admin's words, one phrase per part, for the Backup screen and `backups --json`. */
export function planWords(plan: BackupPlan): { retention: string; encryption: string; copies: string; notify: string; restoreTest: string } {
  return {
    retention: policyText(plan.retention),
    encryption: plan.encryptTo ? `encrypted (age, recipients in ${plan.encryptTo})` : 'not encrypted',
    copies: plan.copyTo.length ? `copy → ${plan.copyTo.join(', ')}` : 'no copies',
    notify: plan.notifyCommand ? `failures → ${plan.notifyCommand}` : `failures mailed to ${plan.mailTo ?? 'the job\'s user'}`,
    restoreTest: plan.restoreTestEvery ? `restore test every ${plan.restoreTestEvery}` : 'no scheduled restore test',
  };
}
