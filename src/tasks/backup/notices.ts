import type { NoticeProvider } from '../instance/notices.js';
import { emptyDerivedLine, emptyDerivedTablesOf, REBUILD_COMMAND } from './derived-tables.js';

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
