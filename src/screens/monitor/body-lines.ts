import { layoutTable, type Column } from '../../components/table-layout.js';
import { truncate } from '../../components/theme.js';
import type { BlockingNode, BlockingTree } from '../../tasks/monitor/blocking.js';
import { durationOf, type DurationMode } from '../../tasks/monitor/filter.js';
import type { Session } from '../../tasks/monitor/types.js';
import { sessionColumns } from './columns.js';
import { formatSeconds, programLabel, shortState, waitLabel } from './format.js';

/**
 * What the body shows as plain lines: the session table, or the blocking tree. The rows are one text each
 * (see Rows.tsx); only the ones on screen are laid out.
 */
export interface BodyLines {
  header: string;
  lines: string[];
  /** The pid of each line, for the selection. */
  pids: number[];
}

export function tableLines(rows: readonly Session[], width: number, mode: DurationMode): BodyLines {
  const { header, lines } = layoutTable(sessionColumns(width, mode), rows, width);
  return { header, lines, pids: rows.map((s) => s.pid) };
}

function treeColumns(width: number, mode: DurationMode): Column<BlockingNode>[] {
  const s = (n: BlockingNode) => n.session;
  return [
    { header: 'PROGRAM', width: width >= 120 ? 18 : 14, value: (n) => programLabel(s(n)) },
    { header: 'STATE', width: 11, value: (n) => shortState(s(n).state) },
    ...(width >= 110 ? [{ header: 'WAIT', width: 14, value: (n: BlockingNode) => waitLabel(s(n)) }] : []),
    { header: mode === 'query' ? 'QUERY T' : mode === 'transaction' ? 'XACT T' : 'CONN T', width: 8, align: 'right' as const,
      value: (n) => formatSeconds(durationOf(s(n), mode)) },
    { header: 'QUERY', value: (n) => (n.depth === 0 ? `[root, blocks ${n.blocks}] ` : '') +
      (n.alsoBlockedBy.length > 0 ? `[also ${n.alsoBlockedBy.join(',')}] ` : '') +
      (s(n).query ?? '<hidden>').replace(/\s+/g, ' ').trim() },
  ];
}

export function treeLines(tree: BlockingTree, width: number, mode: DurationMode): BodyLines {
  if (tree.nodes.length === 0) {
    return { header: 'no session waits for a lock held by another', lines: [], pids: [] };
  }
  // The tree column is laid out here: the table's cells fold runs of spaces, which would flatten the indent.
  const first = Math.max(...tree.nodes.map((n) => n.prefix.length)) + 7;
  const { header, lines } = layoutTable(treeColumns(width - first - 1, mode), tree.nodes, width - first - 1);
  return {
    header: `${'PID'.padEnd(first)} ${header}`,
    lines: lines.map((line, i) => `${`${tree.nodes[i].prefix}${tree.nodes[i].session.pid}`.padEnd(first)} ${line}`),
    pids: tree.nodes.map((n) => n.session.pid),
  };
}

/** One line about the worst blocking under the header, while the table (not the tree) is shown. */
export function blockingSummary(tree: BlockingTree, width: number): string | null {
  const root = tree.nodes.filter((n) => n.depth === 0).sort((a, b) => b.blocks - a.blocks)[0];
  if (!root) return null;
  const s = root.session;
  const age = formatSeconds(s.xactAge ?? s.queryAge);
  const others = tree.roots.length > 1 ? ` (+${tree.roots.length - 1} other root${tree.roots.length > 2 ? 's' : ''})` : '';
  return truncate(`⧗ blocking: ${s.pid} ${programLabel(s)} (${shortState(s.state)}, ${age}) blocks ${root.blocks}${others} · t tree`, width);
}
