import { Box, Text } from 'ink';
import { Badge } from '../../components/Badge.js';
import { Panel } from '../../components/Panel.js';
import { Spinner } from '../../components/Spinner.js';
import type { TaskState } from '../../hooks/task-state.js';
import type { NginxHint } from '../../hooks/useExtensions.js';

/** The location block CATMAID's <script src="{STATIC_EXTENSION_URL}{file}"> needs, and whether nginx has it. */
export function NginxHintView({ state, width }: { state: TaskState<NginxHint>; width: number }) {
  if (state.status === 'failed') return <Badge kind="fail">{`could not ask nginx: ${state.error}`}</Badge>;
  if (state.status !== 'done' || !state.result) return <Spinner label="reading the running nginx configuration (nginx -T) …" />;
  const { location, check } = state.result;
  const kind = check.present ? 'ok' : check.checked ? 'fail' : 'warn';
  const verdict = check.present ? `nginx has it: ${check.detail}` : check.checked ? `nginx lacks it: ${check.detail}` : `not checked: ${check.detail}`;
  return (
    <Box flexDirection="column" width={width}>
      <Text>Each listed file is loaded as &lt;script src="STATIC_EXTENSION_URL + file"&gt;: nginx must serve the folder there.</Text>
      <Text> </Text>
      <Panel title="location block for the server block that serves CATMAID" width={width}>
        {location.split('\n').map((line, i) => (
          <Text key={i}>{line}</Text>
        ))}
      </Panel>
      <Badge kind={kind}>{verdict}</Badge>
      {!check.present && <Text dimColor>Add the block to the CATMAID server block, then: nginx -t && systemctl reload nginx</Text>}
    </Box>
  );
}
