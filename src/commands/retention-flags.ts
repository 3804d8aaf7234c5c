import type { Command } from 'commander';
import type { RetentionPolicy } from '../tasks/backup/retention.js';
import { count } from './backup-target.js';

/** The retention flags, as `backup`, `backups prune` and `schedule backup` take them. */
export interface RetentionFlags {
  keep?: number;
  keepDays?: number;
  keepDaily?: number;
  keepWeekly?: number;
  keepMonthly?: number;
}

export function addRetentionOptions(command: Command): Command {
  return command
    .option('--keep <n>', 'keep the newest N verified backups of this database', count('--keep'))
    .option('--keep-days <d>', 'keep those younger than D days', count('--keep-days'))
    .option('--keep-daily <n>', 'keep the newest of each of the last N days with a backup', count('--keep-daily'))
    .option('--keep-weekly <n>', 'keep the newest of each of the last N weeks with a backup', count('--keep-weekly'))
    .option('--keep-monthly <n>', 'keep the newest of each of the last N months with a backup', count('--keep-monthly'));
}

/** The policy the flags give (empty when none was given: everything stays). */
export function retentionOf(flags: RetentionFlags): RetentionPolicy {
  const policy: RetentionPolicy = {};
  if (flags.keep) policy.last = flags.keep;
  if (flags.keepDays) policy.days = flags.keepDays;
  if (flags.keepDaily) policy.daily = flags.keepDaily;
  if (flags.keepWeekly) policy.weekly = flags.keepWeekly;
  if (flags.keepMonthly) policy.monthly = flags.keepMonthly;
  return policy;
}
