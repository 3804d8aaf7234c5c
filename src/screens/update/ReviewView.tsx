import { Box, Text } from 'ink';
import { Badge } from '../../components/Badge.js';
import { Panel } from '../../components/Panel.js';
import { tone, truncate } from '../../components/theme.js';
import type { UpdatePreview } from '../../tasks/update/preflight.js';
import { CHECK_MARK, checkLines, planLines } from './lines.js';

export interface ReviewViewProps {
  preview: UpdatePreview;
  notes: readonly string[];
  offset: number;
  read: boolean;
  /** Rows of the notes panel's text. */
  notesRoom: number;
  width: number;
  height: number;
}

/** Pre-flight (left), the release notes to scroll through and acknowledge (right), the plan (below). */
export function ReviewView({ preview, notes, offset, read, notesRoom, width, height }: ReviewViewProps) {
  const left = Math.max(30, Math.floor(width * 0.45));
  const right = width - left;
  const topHeight = notesRoom + 3;
  const checks = checkLines(preview, left - 4);
  const plan = planLines(preview);
  const planRoom = Math.max(1, height - topHeight - 2);
  const shownPlan = plan.length > planRoom ? [...plan.slice(0, planRoom - 1), `… ${plan.length - planRoom + 1} more (catmaid-tui update --dry-run shows all)`] : plan;
  const end = Math.min(notes.length, offset + notesRoom);
  const atEnd = end >= notes.length;
  const where = notes.length <= notesRoom ? '' : ` · lines ${offset + 1}–${end} of ${notes.length}`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Box height={topHeight}>
        <Panel title="Pre-flight" width={left} height={topHeight}>
          {checks.slice(0, notesRoom + 1).map((line, i) =>
            line.detail ? (
              <Text key={i} dimColor wrap="truncate">{truncate(line.text, left - 4)}</Text>
            ) : (
              <Badge key={i} kind={CHECK_MARK[line.status]}>{truncate(line.text, left - 6)}</Badge>
            ),
          )}
        </Panel>
        <Panel title={`Release notes to read (${preview.releases.length})${where}`} width={right} height={topHeight}>
          <Box flexDirection="column" height={notesRoom}>
            {notes.slice(offset, offset + notesRoom).map((line, i) => (
              <Text key={offset + i} wrap="truncate">{line || ' '}</Text>
            ))}
          </Box>
          <Box justifyContent="flex-end">
            {read ? (
              <Text color={tone('ok')}>[ read ✓ ]</Text>
            ) : atEnd ? (
              <Text bold>r / ⏎: I have read them all</Text>
            ) : (
              <Text dimColor>↓ scroll to the end to acknowledge</Text>
            )}
          </Box>
        </Panel>
      </Box>
      <Panel title={`Plan · ${preview.steps.length} step(s)${preview.squashStage ? ' in two stages' : ''}`} width={width} height={Math.min(height - topHeight, shownPlan.length + 2)}>
        {shownPlan.map((line, i) => (
          <Text key={i} wrap="truncate">{line}</Text>
        ))}
      </Panel>
    </Box>
  );
}
