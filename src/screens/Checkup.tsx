import { Box, Text } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import { Badge } from '../components/Badge.js';
import { Confirm } from '../components/Confirm.js';
import { Panel } from '../components/Panel.js';
import { Sparkline } from '../components/Sparkline.js';
import { Spinner } from '../components/Spinner.js';
import { truncate } from '../components/theme.js';
import { moveSelection, scrollWindow } from '../components/menu-state.js';
import { ScrollNote } from '../components/ScrollNote.js';
import { actionFor } from '../hooks/keymap.js';
import { useChangedAfter, useScreenKeys } from '../hooks/shell-context.js';
import { useCheckup, type CheckupServices } from '../hooks/useCheckup.js';
import { useCurrentState } from '../hooks/useCurrentReducer.js';
import { useKeyRoute } from '../hooks/useKeyRoute.js';
import { oneLine } from '../tasks/errors.js';
import { checkupKeys, checkupKeysNoApply, type CheckupAction } from './checkup/keys.js';
import { applicable, checkLine, detailLines, headerText, summaryText } from './checkup/lines.js';
import type { ScreenProps } from './registry.js';

export interface CheckupProps extends ScreenProps {
  /** Tests shorten the sampling window; the app samples 10 × 1 s. */
  services?: CheckupServices;
}

/** Measured advice, grouped Database / Django / Web server / OS, with why, fix and source for the selected one. */
export function Checkup({ info, active, width, height, services }: CheckupProps) {
  const { run, apply, series, exported, exportReport } = useCheckup(info, services);
  useChangedAfter(apply.state);
  const [{ selected, expanded, confirming }, set, now] = useCurrentState({ selected: 0, expanded: false, confirming: false });
  const [exportError, setExportError] = useState<string | undefined>();
  const report = run.state.result;
  const checks = report?.checks ?? [];
  const current = checks[Math.min(selected, checks.length - 1)];
  const running = run.state.status === 'running' || apply.state.status === 'running';
  const canApply = applicable(current) && !running;

  useEffect(() => {
    if (selected >= checks.length && checks.length > 0) set({ selected: checks.length - 1 });
  }, [checks.length, selected, set]);

  const keys = useMemo(() => (confirming ? [] : canApply ? checkupKeys : checkupKeysNoApply), [confirming, canApply]);
  useScreenKeys(keys);

  const working = (): boolean => run.current().status === 'running' || apply.current().status === 'running';
  const onAction = (action: CheckupAction): void => {
    // The check as the newest key left the selection: a right after j applies the one j moved to.
    const chosen = checks[Math.min(now().selected, checks.length - 1)];
    if (action === 'details') set({ expanded: !now().expanded });
    else if (action === 'apply' && applicable(chosen) && !working()) set({ confirming: true });
    else if (action === 'export' && report) exportReport(report).catch((err: unknown) => setExportError(oneLine(err)));
    else if (action === 'rerun' && !working()) run.start(true);
    else if (action === 'up' || action === 'down' || action === 'first' || action === 'last') {
      set({ selected: moveSelection(now().selected, checks.length, action) });
    }
  };
  // Each key by the newest state: the answer typed right after a goes to the question a asked, and q or Esc right
  // after the fix or the rerun started stays with the screen while it works.
  useKeyRoute(
    {
      hold: () => (now().confirming || working() ? 'busy' : undefined),
      waiting: () => now().confirming,
      take: (press) => {
        // Alone (screen tests) the screen hears the keys too: a question asked has them.
        if (now().confirming) return;
        const action = actionFor(checkupKeys, press.name);
        if (action !== undefined) onAction(action);
      },
    },
    active,
  );

  const inner = width - 2;
  const detailHeight = expanded ? Math.max(8, Math.floor(height / 2)) : 7;
  const listRows = Math.max(1, height - detailHeight - 4);
  const window = scrollWindow(selected, checks.length, listRows);
  const sampling = run.state.status === 'running';
  const samples = services?.options.samples ?? 10;

  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Box justifyContent="space-between" width={inner}>
        <Text bold>{truncate(headerText(report), inner - 24)}</Text>
        {report && <Text>{summaryText(report)}</Text>}
      </Box>
      <Box width={inner}>
        {sampling ? (
          <>
            <Spinner label={`sampling connections ${series.length}/${samples} `} startedAt={run.state.startedAt} />
            <Text> </Text>
            <Sparkline values={series} width={Math.min(30, samples)} />
          </>
        ) : run.state.status === 'failed' ? (
          <Badge kind="fail">{truncate(`checkup failed: ${run.state.error}`, inner - 2)}</Badge>
        ) : report?.sampling ? (
          <Text dimColor>{truncate(`catmaid role connections  `, inner)}<Sparkline values={report.sampling.series} width={Math.min(30, report.sampling.series.length)} /></Text>
        ) : (
          <Text dimColor>connections not sampled</Text>
        )}
      </Box>
      <Box flexDirection="column" height={listRows}>
        {checks.slice(window.start, window.end).map((check, i) => {
          const index = window.start + i;
          const mark = index === selected ? '› ' : '  ';
          return (
            <Text key={check.id} inverse={index === selected}>
              {mark}
              {checkLine(checks, index, inner - 2)}
            </Text>
          );
        })}
        <ScrollNote window={window} />
      </Box>
      <Panel title="Why" width={inner} height={detailHeight}>
        {current ? detailLines(current).slice(0, expanded ? undefined : detailHeight - 2).map((line, i) => (
          <Text key={i} wrap={expanded ? 'wrap' : 'truncate'}>{line}</Text>
        )) : <Text dimColor>{run.state.status === 'running' ? 'checking …' : 'no checks'}</Text>}
      </Panel>
      <Box flexDirection="column" height={2}>
        {confirming && current?.fix && (
          <Confirm
            message={`Apply ${current.id}: ${current.fix.text.split('\n')[0]}${current.fix.text.includes('\n') ? ' …' : ''}?`}
            yesLabel="Yes, apply"
            onCancel={() => set({ confirming: false })}
            onConfirm={() => {
              set({ confirming: false });
              apply.start(current);
            }}
            isActive={active}
          />
        )}
        {!confirming && apply.state.status === 'running' && <Spinner label="applying …" startedAt={apply.state.startedAt} />}
        {!confirming && apply.state.status === 'done' && apply.state.result && (
          <Badge kind="ok">{truncate(`${apply.state.result.id} applied: ${apply.state.result.lines.at(-1) ?? ''}`, inner - 2)}</Badge>
        )}
        {!confirming && apply.state.status === 'failed' && <Badge kind="fail">{truncate(`not applied: ${apply.state.error}`, inner - 2)}</Badge>}
        {!confirming && (exported || exportError) && (
          <Text dimColor>{truncate(exportError ? `export failed: ${exportError}` : `exported: ${exported}`, inner, 'start')}</Text>
        )}
      </Box>
    </Box>
  );
}

