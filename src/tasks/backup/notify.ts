import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa, type Result } from 'execa';
import { oneLine, UsageError } from '../errors.js';
import { hasNoControlCharacters } from '../safe-name.js';

/** Who hears of a failed scheduled backup: a mail through the local MTA, a program of the admin's, or both. */
export interface NotifyTarget {
  /** Recipient; by default the user the job runs as, when a local MTA is there (as cron mails). */
  mailTo?: string;
  /** A program and its arguments, run without a shell; the failure is in its environment and on its stdin. */
  command?: string[];
}

export interface FailureNotice {
  instance: string;
  root: string;
  database: string;
  reason: string;
  startedAt: Date;
  finishedAt: Date;
  /** The backup it made before failing (e.g. its copy failed), if any. */
  file?: string;
  log?: string;
}

const NOTIFY_TIMEOUT_MS = 60_000;

/** An address sendmail reads from the To: header: no spaces, no header syntax, no control characters. */
export function checkMailAddress(address: string): string {
  if (!/^[^\s<>,;:"()\\[\]-][^\s<>,;"()\\[\]]*$/.test(address) || !hasNoControlCharacters(address)) {
    throw new UsageError(`--mail-to "${address}": not a mail address`, 'one address, e.g. --mail-to root or --mail-to admin@example.org');
  }
  return address;
}

/**
 * The MTA's sendmail interface (Postfix, Exim, OpenSMTPD, msmtp-mta and nullmailer all install one): `sendmail`
 * on PATH first (cron's PATH lacks /usr/sbin, so its usual homes are tried next), then plain msmtp.
 */
export function findSendmail(env: NodeJS.ProcessEnv = process.env): string | null {
  const onPath = (name: string) =>
    (env.PATH ?? '').split(':').filter(Boolean).map((dir) => path.join(dir, name)).find((file) => isExecutable(file)) ?? null;
  return onPath('sendmail') ?? ['/usr/sbin/sendmail', '/usr/lib/sendmail'].find(isExecutable) ?? onPath('msmtp');
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** A header value on one line; non-ASCII as RFC 2047 UTF-8 words. */
function headerText(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim(); // eslint-disable-line no-control-regex
  return /^[\x20-\x7e]*$/.test(line) ? line : `=?UTF-8?B?${Buffer.from(line).toString('base64')}?=`;
}

export function failureSubject(notice: FailureNotice): string {
  return `catmaid-tui: scheduled backup of ${notice.instance} failed`;
}

/** The message body, also given to a notify command on its stdin. */
export function failureText(notice: FailureNotice): string {
  return [
    `The scheduled backup of CATMAID instance ${notice.instance} (${notice.root}) failed at ${notice.finishedAt.toLocaleString()}:`,
    '',
    `  ${oneLine(notice.reason)}`,
    '',
    `database: ${notice.database}`,
    ...(notice.file ? [`backup:   ${notice.file}`] : []),
    ...(notice.log ? [`log:      ${notice.log}`] : []),
    '',
    `State of the backups: catmaid-tui --catmaid-dir ${notice.root} backups --check`,
    '',
  ].join('\n');
}

export function failureMail(notice: FailureNotice, to: string, date = new Date()): string {
  return [
    `To: ${to}`,
    `Subject: ${headerText(failureSubject(notice))}`,
    `Date: ${date.toUTCString().replace('GMT', '+0000')}`,
    'Auto-Submitted: auto-generated',
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    failureText(notice),
  ].join('\n');
}

/** What a notify command finds in its environment. */
export function notifyEnv(notice: FailureNotice): Record<string, string> {
  return {
    CATMAID_TUI_EVENT: 'backup-failed',
    CATMAID_TUI_RESULT: 'failed',
    CATMAID_TUI_REASON: oneLine(notice.reason),
    CATMAID_TUI_INSTANCE: notice.instance,
    CATMAID_TUI_ROOT: notice.root,
    CATMAID_TUI_DATABASE: notice.database,
    CATMAID_TUI_STARTED: notice.startedAt.toISOString(),
    CATMAID_TUI_FINISHED: notice.finishedAt.toISOString(),
    CATMAID_TUI_FILE: notice.file ?? '',
    CATMAID_TUI_LOG: notice.log ?? '',
  };
}

function howItFailed(run: Result): string {
  if (run.timedOut) return `timed out after ${NOTIFY_TIMEOUT_MS / 1000} s`;
  if (run.exitCode === undefined) return run.signal ? `killed (${run.signal})` : oneLine(run.shortMessage ?? 'did not start');
  return `exit ${run.exitCode}${run.all ? `: ${oneLine(run.all).slice(0, 200)}` : ''}`;
}

/**
 * Tell of a failure; never throws (the failure itself is the news). Returns what was done, one line each, for
 * the run record and the log: `mail to root (sendmail)`, `command /usr/local/bin/page: exit 1`, ….
 */
export async function notifyFailure(notice: FailureNotice, target: NotifyTarget, env: NodeJS.ProcessEnv = process.env): Promise<string[]> {
  const said: string[] = [];
  if (target.command?.length) {
    const [program, ...args] = target.command;
    const run = await execa(program, args, { env: { ...env, ...notifyEnv(notice) }, extendEnv: false, input: failureText(notice), reject: false, timeout: NOTIFY_TIMEOUT_MS, all: true });
    said.push(`command ${program}: ${run.exitCode === 0 ? 'ok' : `failed (${howItFailed(run)})`}`);
  }
  if (target.mailTo || !target.command?.length) {
    const to = target.mailTo ?? os.userInfo().username;
    const sendmail = findSendmail(env);
    if (!sendmail) said.push(`no mail to ${to}: no local MTA (sendmail) found`);
    else {
      const run = await execa(sendmail, ['-t', '-oi'], { env, extendEnv: false, input: failureMail(notice, to), reject: false, timeout: NOTIFY_TIMEOUT_MS, all: true });
      said.push(run.exitCode === 0 ? `mail to ${to} (${sendmail})` : `mail to ${to} failed: ${sendmail} ${howItFailed(run)}`);
    }
  }
  return said;
}
