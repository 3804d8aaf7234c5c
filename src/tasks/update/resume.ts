import { RefusedError, UsageError } from '../errors.js';
import type { InstanceInfo } from '../instance/types.js';
import { unfinishedUpdate, type UnfinishedUpdate, type UpdateJournal } from './journal.js';
import type { RunnablePlan, RunUpdateOptions, UpdateSummary } from './run.js';
import { runUpdate } from './run.js';

/**
 * `update --resume`: an update that was killed or stopped at a failed step goes on from the first step of its
 * journal's plan that is not done, with the same backup (still pinned) and journal. The steps are those of the
 * plan it was started with; nothing is planned again.
 */
export function resumePoint(open: UnfinishedUpdate): { plan: RunnablePlan; fromStep: number; journal: UpdateJournal } {
  const { journal } = open;
  const steps = journal.plan ?? [];
  if (steps.length === 0) throw new UsageError(`the journal of ${journal.startedAt} has no plan (written by an older catmaid-tui): roll it back instead`, 'catmaid-tui update --rollback');
  const first = open.remaining[0];
  return {
    journal,
    fromStep: first ? steps.indexOf(first) : steps.length,
    plan: {
      current: { commit: journal.previous.commit, shortCommit: journal.previous.commit.slice(0, 7), branch: journal.previous.branch, describe: journal.previous.describe, release: null },
      target: { ...journal.target, kind: journal.target.kind as 'tag' | 'branch' | 'commit', describe: null, release: null },
      steps,
    },
  };
}

export async function resumeUpdate(info: InstanceInfo, options: Omit<RunUpdateOptions, 'journal' | 'fromStep'>): Promise<UpdateSummary> {
  const open = unfinishedUpdate(info.layout.root);
  if (!open) throw new UsageError(`no unfinished update of ${info.layout.root}: nothing to resume`);
  if (open.inProgress) throw new RefusedError(open.text, 'wait for it to end');
  const { plan, fromStep, journal } = resumePoint(open);
  options.log.line(`resuming the update of ${journal.startedAt} to ${journal.target.ref} at step ${fromStep + 1}/${plan.steps.length}`);
  return runUpdate(info, plan, { ...options, journal, fromStep });
}
