import type { Command } from 'commander';
import { BackupFolder } from '../tasks/backup/folder.js';
import { listBackups } from '../tasks/backup/list.js';
import { pinnedBackups } from '../tasks/backup/pins.js';
import { hasRules, policyText, removeBackups, retentionPlan, type RetentionPlan } from '../tasks/backup/retention.js';
import { ownerOf } from '../tasks/backup/status.js';
import { UsageError } from '../tasks/errors.js';
import { confirmOrRefuse } from './confirm.js';
import { target } from './backup-target.js';
import { printJson } from './context.js';
import { retentionOf, type RetentionFlags } from './retention-flags.js';
import { logged } from './task-run.js';

export interface PruneFlags extends RetentionFlags {
  out?: string;
  dryRun?: boolean;
  yes?: boolean;
  json?: boolean;
}

const planJson = (plan: RetentionPlan) => {
  const each = (list: RetentionPlan['keep']) => list.map((d) => ({ file: d.entry.path, why: d.why }));
  return { remove: each(plan.remove), keep: each(plan.keep), untouched: each(plan.untouched) };
};

function planLines(plan: RetentionPlan): string {
  const rows = [
    ...plan.remove.map((d) => `remove  ${d.entry.name}  (${d.why})`),
    ...plan.keep.map((d) => `keep    ${d.entry.name}  (${d.why})`),
    ...plan.untouched.map((d) => `leave   ${d.entry.name}  (${d.why})`),
  ];
  return rows.length ? `${rows.join('\n')}\n` : '';
}

/** `backups prune --keep… [--dry-run]`: the retention plan for the folder, shown, confirmed, carried out, logged. */
export async function pruneAction(_own: PruneFlags, command: Command): Promise<void> {
  // `backups` takes --out and --json too, and commander gives them to it even after `prune`.
  const flags = command.optsWithGlobals<PruneFlags>();
  const policy = retentionOf(flags);
  if (!hasRules(policy)) throw new UsageError('which backups to keep?', 'give --keep N, --keep-days D, or --keep-daily/--keep-weekly/--keep-monthly N');
  const t = await target(command, flags.out);
  const db = t.info.settings.settings.database;
  const plan = retentionPlan(await listBackups(t.backupDir), ownerOf(t.located.root, db), policy, { pins: pinnedBackups(t.located.root) });
  if (flags.dryRun || plan.remove.length === 0) {
    if (flags.json) printJson({ folder: t.backupDir, policy, dryRun: flags.dryRun === true, ...planJson(plan), removed: [] });
    else process.stdout.write(`${t.backupDir} · ${policyText(policy)}${flags.dryRun ? ' · dry run: nothing removed' : ''}\n${planLines(plan)}${plan.remove.length ? '' : 'nothing to remove\n'}`);
    return;
  }
  if (!flags.json) process.stdout.write(`${t.backupDir} · ${policyText(policy)}\n${planLines(plan)}`);
  await confirmOrRefuse(`Remove ${plan.remove.length} backup${plan.remove.length === 1 ? '' : 's'} of database ${db.name} (with their manifests)?`, flags.yes);
  const removed = await logged('prune', db.password, async (log) => {
    const folder = await BackupFolder.open(t.backupDir);
    try {
      // Planned again in the opened folder: only what both plans remove goes (a backup or a pin may have come meanwhile).
      const shown = new Set(plan.remove.map((d) => d.entry.path));
      const again = retentionPlan(await listBackups(folder.path), ownerOf(t.located.root, db), policy, { pins: pinnedBackups(t.located.root) });
      return await removeBackups(again.remove.map((d) => d.entry).filter((e) => shown.has(e.path)), folder, (entry) => log.line(`retention (${policyText(policy)}): removed ${entry.path}`));
    } finally {
      await folder.close();
    }
  });
  if (flags.json) printJson({ folder: t.backupDir, policy, dryRun: false, ...planJson(plan), removed });
  else process.stdout.write(`removed ${removed.length}: ${removed.map((f) => f.split('/').pop()).join(', ')}\n`);
}
