import { oneLine } from '../errors.js';
import type { Notice, NoticeProvider } from '../instance/notices.js';
import type { InstanceInfo } from '../instance/types.js';
import { unfinishedUpdate } from './journal.js';
import { pendingMigrations } from './migrations.js';

/** An update that neither finished nor was rolled back blocks every further update: resume or roll back. */
export const unfinishedUpdateNotices: NoticeProvider = {
  id: 'update',
  read: async (info: InstanceInfo): Promise<Notice[]> => {
    if ('error' in info.git) return [];
    const open = unfinishedUpdate(info.layout.root);
    if (!open) return [];
    if (open.inProgress) return [{ id: 'update.running', severity: 'info', text: open.text, screen: 'update' }];
    return [{
      id: 'update.unfinished',
      severity: 'fail',
      text: `${open.text}: resume or roll back`,
      command: `catmaid-tui update --resume  (or --rollback)`,
      screen: 'update',
    }];
  },
};

/** Migrations the code has and the database lacks, whatever any journal says (see migrations.ts for the cost). */
export const migrationNotices: NoticeProvider = {
  id: 'migrations',
  read: async (info: InstanceInfo): Promise<Notice[]> => {
    if (!info.database.reachable) return [];
    let pending: string[];
    try {
      pending = (await pendingMigrations(info)).pending;
    } catch (err) {
      return [{ id: 'migrations.unchecked', severity: 'info', text: `migrations not checked: ${oneLine(err)}` }];
    }
    if (pending.length === 0) return [];
    const names = pending.length <= 2 ? pending.join(', ') : `${pending.slice(0, 2).join(', ')} and ${pending.length - 2} more`;
    return [{
      id: 'migrations.unapplied',
      severity: 'fail',
      text: `${pending.length} migration(s) not applied: ${names}`,
      command: `${info.layout.python} ${info.layout.managePy} migrate`,
      screen: 'update',
    }];
  },
};
