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
  /** `checks`: every check with all its reasons, full width, instead of the notes (d). */
  view: 'notes' | 'checks';
  /** First row of the full check list shown in the `checks` view. */
  checksOffset: number;
  width: number;
  height: number;
}

function CheckRows({ lines, width }: { lines: ReturnType<typeof checkLines>; width: number }) {
  return (
    <>
      {lines.map((line, i) =>
        line.detail ? (
          <Text key={i} dimColor wrap="truncate">{truncate(line.text, width)}</Text>
        ) : (
          <Badge key={i} kind={CHECK_MARK[line.status]}>{truncate(line.text, width - 2)}</Badge>
        ),
      )}
    </>
  );
}

/** Pre-flight (left), the release notes to scroll through and acknowledge (right), the plan (below). */
export function ReviewView({ preview, notes, offset, read, notesRoom, view, checksOffset, width, height }: ReviewViewProps) {
  const left = Math.max(30, Math.floor(width * 0.45));
  const right = width - left;
  const topHeight = notesRoom + 3;
  const compact = checkLines(preview, left - 4, 'failures');
  const checkRoom = notesRoom + 1;
  const checks = compact.length <= checkRoom ? compact : [...compact.slice(0, checkRoom - 1), { status: 'info' as const, text: `… ${compact.length - checkRoom + 1} more · d: every check`, detail: true }];
  const plan = planLines(preview);
  const planRoom = Math.max(1, height - topHeight - 2);
  const shownPlan = plan.length > planRoom ? [...plan.slice(0, planRoom - 1), `… ${plan.length - planRoom + 1} more (catmaid-tui update --dry-run shows all)`] : plan;
  const end = Math.min(notes.length, offset + notesRoom);
  const atEnd = end >= notes.length;
  const where = notes.length <= notesRoom ? '' : ` · lines ${offset + 1}–${end} of ${notes.length}`;
  return (
    <Box flexDirection="column" width={width} height={height}>
      {view === 'checks' ? (
        <AllChecks preview={preview} offset={checksOffset} room={notesRoom + 1} width={width} height={topHeight} />
      ) : <Box height={topHeight}>
        <Panel title="Pre-flight" width={left} height={topHeight}>
          <CheckRows lines={checks} width={left - 4} />
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
      </Box>}
      <Panel title={`Plan · ${preview.steps.length} step(s)${preview.squashStage ? ' in two stages' : ''}`} width={width} height={Math.min(height - topHeight, shownPlan.length + 2)}>
        {shownPlan.map((line, i) => (
          <Text key={i} wrap="truncate">{line}</Text>
        ))}
      </Panel>
    </Box>
  );
}

/** Every check with all its reasons, full width, scrolled like the notes. */
export function AllChecks({ preview, offset, room, width, height }: { preview: UpdatePreview; offset: number; room: number; width: number; height: number }) {
  const lines = checkLines(preview, width - 4, 'all');
  const end = Math.min(lines.length, offset + room);
  const where = lines.length <= room ? '' : ` · lines ${offset + 1}–${end} of ${lines.length}`;
  return (
    <Panel title={`Pre-flight · every check${where} (d: back to the notes)`} width={width} height={height}>
      <CheckRows lines={lines.slice(offset, end)} width={width - 4} />
    </Panel>
  );
}
