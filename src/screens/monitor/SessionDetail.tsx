import { Box, Text } from 'ink';
import wrapAnsi from 'wrap-ansi';
import { Panel } from '../../components/Panel.js';
import type { Session } from '../../tasks/monitor/types.js';
import { formatSeconds, shortState, waitLabel } from './format.js';

const FIELD_ROWS = 6;

/** The session's fields as label/value pairs, two to a row. */
function fields(s: Session): [string, string][] {
  return [
    ['pid', String(s.pid)], ['program', s.process ? `${s.process.label} (pid ${s.process.pid})` : '-'],
    ['user', s.user ?? 'hidden'], ['application', s.app || '-'],
    ['client', s.client === null ? 'hidden' : `${s.client}${s.clientPort ? `:${s.clientPort}` : ''}`], ['database', s.database ?? '-'],
    ['state', shortState(s.state)], ['wait', waitLabel(s)],
    ['transaction', formatSeconds(s.xactAge)], ['query age', formatSeconds(s.queryAge)],
    ['connected', formatSeconds(s.backendAge)], ['blocked by', s.blockedBy.length > 0 ? s.blockedBy.join(', ') : '-'],
  ];
}

/** The query wrapped to `width`, as lines: what the detail view scrolls through. */
export function queryLines(session: Session | undefined, width: number): string[] {
  const text = session?.query ?? '<insufficient privilege: the query of another role is hidden>';
  return wrapAnsi(text.replace(/\t/g, '  '), Math.max(10, width), { hard: true, trim: false }).split('\n');
}

/** Rows of the query that fit under the fields. */
export const queryRoom = (height: number): number => Math.max(1, height - 2 - FIELD_ROWS - 2);

/** One session in full: every field and the whole query, wrapped, scrolled from line `top`. */
export function SessionDetail({ session, width, height, top }: { session: Session | undefined; width: number; height: number; top: number }) {
  if (!session) {
    return (
      <Panel title="Query" width={width} height={height}>
        <Text>That session has ended.</Text>
      </Panel>
    );
  }
  const inner = width - 4;
  const half = Math.floor(inner / 2);
  const pairs = fields(session);
  const rows: string[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const cell = ([label, value]: [string, string], w: number) => `${label.padEnd(12)}${value}`.slice(0, w - 1).padEnd(w);
    rows.push(`${cell(pairs[i], half)}${cell(pairs[i + 1], inner - half)}`.trimEnd());
  }
  const lines = queryLines(session, inner);
  const room = queryRoom(height);
  const start = Math.min(top, Math.max(0, lines.length - room));
  const more = lines.length > room ? ` · lines ${start + 1}–${Math.min(lines.length, start + room)} of ${lines.length}` : '';
  return (
    <Panel title={`Query of backend ${session.pid}${more}`} width={width} height={height}>
      <Text>{rows.join('\n')}</Text>
      <Box height={1} />
      <Text>{lines.slice(start, start + room).join('\n')}</Text>
    </Panel>
  );
}
