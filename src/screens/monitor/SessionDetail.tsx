import { Box, Text } from 'ink';
import { Panel } from '../../components/Panel.js';
import type { Session } from '../../tasks/monitor/types.js';
import { formatSeconds, shortState, waitLabel } from './format.js';

/** One session in full: every field and the whole query, wrapped. */
export function SessionDetail({ session, width, height }: { session: Session | undefined; width: number; height: number }) {
  if (!session) {
    return (
      <Panel title="Query" width={width} height={height}>
        <Text>That session has ended.</Text>
      </Panel>
    );
  }
  const fields: [string, string][] = [
    ['pid', String(session.pid)],
    ['user', session.user ?? 'hidden'],
    ['application', session.app || '-'],
    ['client', session.client ?? 'hidden'],
    ['database', session.database ?? '-'],
    ['state', shortState(session.state)],
    ['wait', waitLabel(session)],
    ['transaction', formatSeconds(session.xactAge)],
    ['query age', formatSeconds(session.queryAge)],
    ['connected', formatSeconds(session.backendAge)],
    ['blocked by', session.blockedBy.length > 0 ? session.blockedBy.join(', ') : '-'],
  ];
  return (
    <Panel title={`Query of backend ${session.pid}`} width={width} height={height}>
      {fields.map(([label, value]) => (
        <Box key={label}>
          <Box width={13} flexShrink={0}>
            <Text dimColor>{label}</Text>
          </Box>
          <Text wrap="truncate">{value}</Text>
        </Box>
      ))}
      <Text> </Text>
      <Text wrap="wrap">{session.query ?? '<insufficient privilege: the query of another role is hidden>'}</Text>
    </Panel>
  );
}
