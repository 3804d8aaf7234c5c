import type { DatabaseSettings } from '../instance/types.js';
import { planOfLine, planWords, type BackupPlan } from './backup-plan.js';
import { parseDestination } from './copy-destination.js';
import { cronFields, nextRuns } from './cron-expression.js';
import { installedCronLine } from './crontab.js';
import { instanceBackups } from './instance-backups.js';
import type { BackupEntry } from './list.js';
import { readRecipients } from './recipients.js';
import { pinnedBackups } from './pins.js';
import { hasRules, ownedBy, policyText, retentionPlan } from './retention.js';
import { readRuns, runReason, runState, type BackupRun, type RunState } from './runs.js';
import { ownerOf } from './status.js';

/** How many runs the overview shows, newest first. */
export const RUNS_SHOWN = 8;

export interface ScheduleOverview {
  line: string;
  /** The five cron fields, and the next runs as cron would start them. */
  at: string;
  nextRuns: string[];
  /** The folder the scheduled run writes to (its --out). */
  outDir: string | null;
  plan: BackupPlan;
  words: ReturnType<typeof planWords>;
}

export interface RunOverview {
  id: string;
  trigger: BackupRun['trigger'];
  state: RunState;
  startedAt: string;
  finishedAt: string | null;
  /** Why it failed (or was cut off); null when it did not. */
  reason: string | null;
  file: string | null;
  sizeBytes: number | null;
}

export interface PlannedBackup {
  file: string;
  name: string;
  why: string;
}

export interface RetentionOverview {
  /** The scheduled run's policy, applied now to its folder: what its next prune would remove. */
  policy: BackupPlan['retention'];
  text: string;
  folder: string;
  remove: PlannedBackup[];
  keep: PlannedBackup[];
  /** Pinned backups: never counted, never removed (pre-update, safety, restore-tested …). */
  pinned: (PlannedBackup & { kind: string })[];
}

export interface CopyTargetOverview {
  destination: string;
  /** This database's verified backups with a verified copy there, of how many. */
  copied: number;
  of: number;
  /** When the newest copy there was verified. */
  lastAt: string | null;
}

export interface BackupOverview {
  folder: string;
  schedule: ScheduleOverview | null;
  runs: RunOverview[];
  retention: RetentionOverview | null;
  encryption: { recipientsFile: string; recipients: string[]; encryptedBackups: number } | null;
  copies: CopyTargetOverview[];
}

export interface OverviewInput {
  root: string;
  name: string;
  /** The configured backup folder (`backups` lists it); the schedule's own --out wins for its retention plan. */
  backupDir: string;
  db: DatabaseSettings;
  crontab: string | null;
  now?: Date;
}

/**
 * What the Backup screen and `backups --json` tell of an instance's backups besides the list: the installed
 * schedule and its policy, the last runs from the run records, the retention plan its next prune would carry
 * out, encryption and the copy targets with how much reached each.
 */
export async function backupOverview(input: OverviewInput): Promise<BackupOverview> {
  const now = input.now ?? new Date();
  const line = installedCronLine(input.crontab, input.name);
  const read = planOfLine(line);
  const schedule = line && read ? scheduleOf(line, read.outDir, read.plan, now) : null;
  const folder = schedule?.outDir ?? input.backupDir;
  const { entries } = await instanceBackups(input.root, input.name, folder, input.db);
  const owner = ownerOf(input.root, input.db);
  const mine = entries.filter((e) => e.state === 'verified' && ownedBy(e, owner));
  const plan = schedule?.plan;
  return {
    folder,
    schedule,
    runs: readRuns(input.root).slice(0, RUNS_SHOWN).map(runOverview),
    retention: plan && hasRules(plan.retention) ? retentionOverview(entries, input, plan, folder, now) : null,
    encryption: plan?.encryptTo
      ? { recipientsFile: plan.encryptTo, recipients: readRecipients(plan.encryptTo), encryptedBackups: mine.filter((e) => e.manifest?.encryption).length }
      : null,
    copies: (plan?.copyTo ?? []).map((destination) => copyTarget(destination, mine)),
  };
}

function scheduleOf(line: string, outDir: string | null, plan: BackupPlan, now: Date): ScheduleOverview | null {
  let at: string;
  try {
    at = cronFields(line.trim().split(/\s+/).slice(0, 5).join(' '));
  } catch {
    return null;
  }
  return { line, at, nextRuns: nextRuns(at, now).map((d) => d.toISOString()), outDir, plan, words: planWords(plan) };
}

function runOverview(run: BackupRun): RunOverview {
  const state = runState(run);
  const failed = state === 'failed' || state === 'interrupted';
  return {
    id: run.id,
    trigger: run.trigger,
    state,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt ?? null,
    reason: failed ? runReason(run) : null,
    file: run.file ?? null,
    sizeBytes: run.sizeBytes ?? null,
  };
}

function retentionOverview(entries: readonly BackupEntry[], input: OverviewInput, plan: BackupPlan, folder: string, now: Date): RetentionOverview {
  const decided = retentionPlan(entries, ownerOf(input.root, input.db), plan.retention, { pins: pinnedBackups(input.root), now });
  const each = (list: typeof decided.keep) => list.map((d) => ({ file: d.entry.path, name: d.entry.name, why: d.why }));
  return {
    policy: plan.retention,
    text: policyText(plan.retention),
    folder,
    remove: each(decided.remove),
    keep: each(decided.keep),
    pinned: entries.flatMap((e) => (e.pin ? [{ file: e.path, name: e.name, why: e.pin.reason, kind: e.pin.kind }] : [])),
  };
}

function copyTarget(destination: string, mine: readonly BackupEntry[]): CopyTargetOverview {
  const text = parseDestination(destination).text;
  const records = mine.flatMap((e) => e.manifest?.copies?.filter((c) => c.destination === text) ?? []);
  const copied = mine.filter((e) => e.manifest?.copies?.some((c) => c.destination === text)).length;
  const lastAt = records.map((r) => r.at).sort().pop() ?? null;
  return { destination: text, copied, of: mine.length, lastAt };
}
