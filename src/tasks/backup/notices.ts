import type { NoticeProvider } from '../instance/notices.js';
import { emptyDerivedLine, emptyDerivedTablesOf, REBUILD_COMMAND } from './derived-tables.js';
import { formatAge } from './list.js';
import { lastScheduledRun, readRuns, runFailed, runReason } from './runs.js';

/**
 * Derived tables empty while their sources have rows: a restore committed its data and was cut off before the
 * rebuild (catmaid-tui killed, the machine down). CATMAID then shows no skeleton edges until they are rebuilt. An
 * unreachable database is another notice's news, not this one's.
 */
export const derivedTablesNotice: NoticeProvider = {
  id: 'restore',
  async read(info) {
    let empty: string[];
    try {
      empty = await emptyDerivedTablesOf(info.settings.settings.database);
    } catch {
      return [];
    }
    if (empty.length === 0) return [];
    return [{ id: 'restore.derived-tables-empty', severity: 'fail', text: emptyDerivedLine(empty), command: REBUILD_COMMAND, screen: 'restore' }];
  },
};

/**
 * The scheduled backup's last run failed (or was cut off): Home shows it in red, `info` lists it, until a
 * scheduled run succeeds again. Read from the run records only (a file per run): cheap enough for Home's minute.
 */
export const scheduledBackupNotice: NoticeProvider = {
  id: 'backup',
  async read(info) {
    const last = lastScheduledRun(readRuns(info.layout.root));
    if (!last || !runFailed(last)) return [];
    const ago = formatAge(Date.now() - Date.parse(last.finishedAt ?? last.startedAt));
    return [{ id: 'backup.scheduled-failed', severity: 'fail', text: `last scheduled backup failed ${ago} ago: ${runReason(last)}`, command: 'catmaid-tui backups --check', screen: 'backup' }];
  },
};
