import type { BackupFolder } from './folder.js';
import type { BackupEntry } from './list.js';
import { kindOf, type BackupKind } from './manifest.js';
import { globalsName } from './globals.js';
import { manifestPath } from './naming.js';
import { pinOf, type BackupPin } from './pins.js';

/** The instance and database whose backups retention may remove (instanceKey, databaseKey). */
export interface BackupOwner {
  instanceKey: string;
  databaseKey: string;
}

/** Whether a backup's manifest names this very instance and database; version 1 manifests name no instance. */
export function ownedBy(entry: BackupEntry, owner: BackupOwner): boolean {
  const m = entry.manifest;
  return m?.instance?.key === owner.instanceKey && m.databaseKey === owner.databaseKey;
}

/**
 * Which backups to keep. A backup stays when any rule keeps it (as borg and restic prune): the newest `last`, those
 * younger than `days` days, and grandfather-father-son: the newest of each of the last `daily` days, `weekly` ISO
 * weeks and `monthly` months that have a backup. No rule at all keeps everything.
 */
export interface RetentionPolicy {
  last?: number;
  days?: number;
  daily?: number;
  weekly?: number;
  monthly?: number;
}

export const hasRules = (policy: RetentionPolicy): boolean => Object.values(policy).some((n) => typeof n === 'number' && n > 0);

/** `keep 7 daily, 4 weekly, 6 monthly`: the plan in the admin's words. */
export function policyText(policy: RetentionPolicy): string {
  const parts = [
    policy.last && `newest ${policy.last}`,
    policy.days && `${policy.days} days`,
    policy.daily && `${policy.daily} daily`,
    policy.weekly && `${policy.weekly} weekly`,
    policy.monthly && `${policy.monthly} monthly`,
  ].filter(Boolean);
  return parts.length ? `keep ${parts.join(', ')}` : 'keep all';
}

export interface RetentionDecision {
  entry: BackupEntry;
  /** Why it stays (the rules that keep it), or why it goes, or why retention leaves it alone. */
  why: string;
}

export interface RetentionPlan {
  keep: RetentionDecision[];
  remove: RetentionDecision[];
  /** Never counted nor removed: pinned, hand-made, unverified, another instance's or database's. */
  untouched: RetentionDecision[];
}

export interface RetentionContext {
  pins?: readonly BackupPin[];
  /** The backup just made: counted, never removed. */
  protect?: string;
  now?: Date;
}

const pad = (n: number) => String(n).padStart(2, '0');
const dayOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
const monthOf = (d: Date) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}`;

/** ISO 8601 week of a local date, e.g. `2026-W48` (weeks start on Monday; week 1 holds the first Thursday). */
export function isoWeek(date: Date): string {
  const d = new Date(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()));
  const weekday = d.getUTCDay() || 7;
  d.setUTCDate(d.getUTCDate() + 4 - weekday);
  const firstDay = new Date(Date.UTC(d.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((d.getTime() - firstDay.getTime()) / 86_400_000 + 1) / 7);
  return `${d.getUTCFullYear()}-W${pad(week)}`;
}

function untouchedReason(entry: BackupEntry, owner: BackupOwner, pins: readonly BackupPin[]): string | null {
  const pin = pinOf(pins, entry.path);
  if (pin) return `pinned (${pin.kind}): ${pin.reason}`;
  if (entry.state === 'no-manifest') return 'no manifest: not made by catmaid-tui, never removed';
  if (entry.state !== 'verified') return `${entry.state}: never removed by retention`;
  if (!ownedBy(entry, owner)) return entry.manifest?.instance ? 'another instance or database' : 'made before backups named their instance';
  return null;
}

/** The newest of each of the last `count` periods with a backup; `list` is newest first. */
function newestPerPeriod(list: readonly BackupEntry[], count: number | undefined, period: (d: Date) => string, label: string, keep: (e: BackupEntry, why: string) => void) {
  if (!count) return;
  const seen = new Set<string>();
  for (const entry of list) {
    const key = period(entry.createdAt);
    if (seen.has(key)) continue;
    if (seen.size >= count) break;
    seen.add(key);
    keep(entry, `${label} ${key}`);
  }
}

/**
 * The retention plan for one folder's listing. Only verified backups whose manifest names this instance and
 * database are counted, each kind apart (the admin's own, safety, pre-update); pinned ones are neither counted nor
 * removed. The newest of each kind always stays: rules that would leave none (say `--keep-days 30` after backups
 * stopped for 40 days) must never empty the folder. Pure: the caller lists, pins and deletes.
 */
export function retentionPlan(entries: readonly BackupEntry[], owner: BackupOwner, policy: RetentionPolicy, context: RetentionContext = {}): RetentionPlan {
  const pins = context.pins ?? [];
  const now = context.now ?? new Date();
  const plan: RetentionPlan = { keep: [], remove: [], untouched: [] };
  const byKind = new Map<BackupKind, BackupEntry[]>();
  for (const entry of entries) {
    const reason = untouchedReason(entry, owner, pins);
    if (reason) plan.untouched.push({ entry, why: reason });
    else byKind.set(kindOf(entry.manifest!), [...(byKind.get(kindOf(entry.manifest!)) ?? []), entry]);
  }
  const newestFirst = (a: BackupEntry, b: BackupEntry) => b.createdAt.getTime() - a.createdAt.getTime() || b.name.localeCompare(a.name);
  for (const list of byKind.values()) {
    list.sort(newestFirst);
    if (!hasRules(policy)) {
      for (const entry of list) plan.keep.push({ entry, why: 'no retention rule' });
      continue;
    }
    const reasons = new Map<BackupEntry, string[]>();
    const keep = (entry: BackupEntry, why: string) => reasons.set(entry, [...(reasons.get(entry) ?? []), why]);
    keep(list[0], 'newest');
    list.slice(0, policy.last ?? 0).forEach((entry, i) => i > 0 && keep(entry, `newest ${policy.last}`));
    if (policy.days) for (const entry of list) if (now.getTime() - entry.createdAt.getTime() < policy.days * 86_400_000) keep(entry, `younger than ${policy.days} days`);
    newestPerPeriod(list, policy.daily, dayOf, 'daily', keep);
    newestPerPeriod(list, policy.weekly, isoWeek, 'weekly', keep);
    newestPerPeriod(list, policy.monthly, monthOf, 'monthly', keep);
    if (context.protect) for (const entry of list) if (entry.path === context.protect) keep(entry, 'just made');
    for (const entry of list) {
      const why = reasons.get(entry);
      if (why) plan.keep.push({ entry, why: why.join(', ') });
      else plan.remove.push({ entry, why: `beyond ${policyText(policy)}` });
    }
  }
  return plan;
}

/** Delete the dumps with their manifests (and globals files), through the opened folder; returns the paths removed. */
export async function removeBackups(victims: readonly BackupEntry[], folder: BackupFolder, onRemoved?: (entry: BackupEntry) => void): Promise<string[]> {
  const removed: string[] = [];
  for (const entry of victims) {
    await folder.remove(entry.name);
    await folder.remove(manifestPath(entry.name));
    await folder.remove(globalsName(entry.name));
    removed.push(entry.path);
    onRemoved?.(entry);
  }
  return removed;
}
