import { Box, Text } from 'ink';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Badge } from '../components/Badge.js';
import { Confirm } from '../components/Confirm.js';
import { Spinner } from '../components/Spinner.js';
import { truncate } from '../components/theme.js';
import { useChangedAfter, useHold, useScreenKeys } from '../hooks/shell-context.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { useUpdate, type CheckRequest, type UpdateServices } from '../hooks/useUpdate.js';
import type { ScreenProps } from './registry.js';
import { failureKeys, finishedKeys, reviewKeys, runningKeys, type UpdateAction } from './update/keys.js';
import { clampOffset, headline, notesLines } from './update/lines.js';
import { ReviewView } from './update/ReviewView.js';
import { FailureLines, RunView } from './update/RunView.js';

export interface UpdateProps extends ScreenProps {
  /** Screen tests pass fake tasks; the app uses the real ones. */
  services?: UpdateServices;
}

type Stage = 'review' | 'run' | 'rollback';
type Asking = 'start' | 'stop' | 'rollback' | null;
const FOOTER = 6;

/** Update: pre-flight and release notes (read ✓), confirm, the steps as they run; on failure retry, log, roll back or leave. */
export function Update({ info, active, width, height, services }: UpdateProps) {
  const { checking, running, rollingBack, steps, failure } = useUpdate(info, services);
  useChangedAfter(running.state, rollingBack.state);
  const [request, setRequest] = useState<CheckRequest>({});
  const [stage, setStage] = useState<Stage>('review');
  const [asking, setAsking] = useState<Asking>(null);
  const [offset, setOffset] = useState(0);
  const [read, setRead] = useState(false);
  const [fullLog, setFullLog] = useState(false);
  const [left, setLeft] = useState(false);
  const checked = checking.state.status === 'done' ? checking.state.result : undefined;
  const preview = checked?.preview;

  const check = useCallback((next: CheckRequest) => {
    setRequest(next);
    setRead(false);
    setOffset(0);
    setStage('review');
    checking.start(next);
  }, [checking]);
  useEffect(() => check({}), []); // eslint-disable-line react-hooks/exhaustive-deps

  const inner = width - 2;
  const notesWidth = inner - Math.max(30, Math.floor(inner * 0.45)) - 4;
  const notes = useMemo(() => (preview ? notesLines(preview.releases, notesWidth) : []), [preview, notesWidth]);
  const notesRoom = Math.max(3, Math.min(notes.length, Math.floor((height - 1 - FOOTER) / 2) - 2));
  const atEnd = offset + notesRoom >= notes.length;
  const nothingToRead = preview !== undefined && preview.releases.length === 0;
  const isRead = read || nothingToRead;
  const mayStart = preview !== undefined && isRead && preview.refusals.length === 0 && !preview.upToDate;
  const runStatus = running.state.status;
  const failed = stage === 'run' && (runStatus === 'failed' || runStatus === 'cancelled');

  const bindings = useMemo(() => {
    if (stage === 'rollback') return rollingBack.state.status === 'running' ? [] : finishedKeys;
    if (stage === 'run') return runStatus === 'running' ? runningKeys : failed && !left ? failureKeys : finishedKeys;
    if (!preview) return checking.state.status === 'failed' ? reviewKeys({ read: false, mayStart: false, localCommits: false, serverRunning: false }).filter((k) => k.action === 'recheck') : [];
    return reviewKeys({
      read: isRead,
      mayStart,
      localCommits: preview.checks.some((c) => c.id === 'local-commits' && c.status === 'fail'),
      serverRunning: preview.checks.some((c) => c.id === 'server' && c.status === 'fail'),
    });
  }, [stage, rollingBack.state.status, runStatus, failed, left, preview, checking.state.status, isRead, mayStart]);
  useScreenKeys(asking ? [] : bindings);
  useHold('busy', active && (asking !== null || (failed && !left)));

  const onAction = useCallback(
    (action: UpdateAction) => {
      const page = Math.max(1, notesRoom - 1);
      const by: Partial<Record<UpdateAction, number>> = { up: -1, down: 1, pgup: -page, pgdn: page, top: -notes.length, bottom: notes.length };
      if (by[action] !== undefined) setOffset((at) => clampOffset(at + (by[action] ?? 0), notes.length, notesRoom));
      else if (action === 'read' && atEnd) setRead(true);
      else if (action === 'start' && mayStart) setAsking('start');
      else if (action === 'recheck') check(request);
      else if (action === 'rebase' || action === 'merge') check({ ...request, integration: action });
      else if (action === 'allow') check({ ...request, allowRunning: true });
      else if (action === 'log') setFullLog((on) => !on);
      else if (action === 'stop') setAsking('stop');
      else if (action === 'retry') {
        if (failure && checked) running.start(checked, failure);
        else check(request);
      } else if (action === 'rollback') setAsking('rollback');
      else if (action === 'leave') setLeft(true);
    },
    [notesRoom, notes.length, atEnd, mayStart, check, request, failure, checked, running],
  );
  useKeymap(bindings, onAction, { isActive: active && asking === null });

  const title = preview ? headline(preview) : `Update · ${info.layout.root}`;
  const database = (checked?.info ?? info).settings.settings.database.name;
  const ask = (
    <>
      {asking === 'start' && preview && (
        <Confirm
          message={`Update ${info.layout.root} to ${preview.target.ref}? A verified backup is taken first; the steps run one by one.`}
          yesLabel="Yes, update"
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            setAsking(null);
            setStage('run');
            setLeft(false);
            if (checked) running.start(checked, undefined);
          }}
          isActive={active}
        />
      )}
      {asking === 'stop' && (
        <Confirm
          message="Stop the running step? The update stops half-way; you can then retry, roll back or leave it."
          yesLabel="Yes, stop it"
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            setAsking(null);
            running.cancel();
          }}
          isActive={active}
        />
      )}
      {asking === 'rollback' && failure && (
        <Confirm
          message={`Roll back: commit ${failure.journal.previous.commit.slice(0, 7)}, its requirements, and restore ${failure.journal.backup ?? 'no backup (none was taken)'} over database ${database}.`}
          dangerous={{ word: database }}
          onCancel={() => setAsking(null)}
          onConfirm={() => {
            setAsking(null);
            setStage('rollback');
            rollingBack.start(checked?.info ?? info);
          }}
          isActive={active}
        />
      )}
    </>
  );

  if (stage === 'review') {
    return (
      <Box flexDirection="column" width={width} height={height} paddingX={1}>
        <Text bold wrap="truncate">{title}</Text>
        {checking.state.status === 'running' && <Spinner label="pre-flight: reading the checkout, git fetch, release notes …" startedAt={checking.state.startedAt} />}
        {checking.state.status === 'failed' && <Badge kind="fail">{truncate(`pre-flight failed: ${checking.state.error}`, inner)}</Badge>}
        {preview && (
          <ReviewView preview={preview} notes={notes} offset={offset} read={isRead} notesRoom={notesRoom} width={inner} height={height - 1 - FOOTER} />
        )}
        <Box flexDirection="column" height={FOOTER}>
          {asking ? ask : preview && <ReviewStatus refused={preview.refusals.map((c) => c.title)} upToDate={preview.upToDate} read={isRead} target={preview.target.ref} />}
        </Box>
      </Box>
    );
  }

  const task = stage === 'rollback' ? rollingBack.state : running.state;
  const summary = running.state.result;
  const footer = asking ? ask : stage === 'rollback' ? (
    rollingBack.state.status === 'running' ? <Spinner label={`rolling back: ${rollingBack.state.lines.at(-1) ?? ''}`} startedAt={rollingBack.state.startedAt} />
    : rollingBack.state.status === 'done' ? <Box flexDirection="column"><Badge kind="ok">rolled back</Badge>{rollingBack.state.result?.said.map((s, i) => <Text key={i} wrap="truncate">{`  ${s}`}</Text>)}</Box>
    : <Badge kind="fail">{truncate(`rollback failed: ${rollingBack.state.error ?? ''}`, inner)}</Badge>
  ) : runStatus === 'done' && summary ? (
    <Box flexDirection="column">
      <Badge kind="ok">{`Updated ${summary.from} → ${summary.to}; ${summary.migrations.length} migration(s) applied`}</Badge>
      <Text wrap="truncate">{`  backup from before: ${truncate(summary.backup ?? 'none', inner - 22, 'start')}`}</Text>
      <Text wrap="truncate">{`  now restart: ${summary.restart[0]}`}</Text>
      {summary.restart.slice(1).map((h, i) => <Text key={i} dimColor wrap="truncate">{`  ${h}`}</Text>)}
    </Box>
  ) : failed ? (
    <Box flexDirection="column">
      <Badge kind="fail">{truncate(running.state.error ?? 'stopped', inner)}</Badge>
      {failure && <FailureLines tail={failure.tail} width={inner} />}
      <Text wrap="truncate">{left ? `left as is · roll back later: catmaid-tui -C ${info.layout.root} update --rollback` : 'r retry · l log · b roll back (restore commit + backup) · x leave as is'}</Text>
    </Box>
  ) : null;
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Text bold wrap="truncate">{stage === 'rollback' ? `Roll back · ${title}` : title}</Text>
      <RunView steps={steps} lines={task.lines} logFile={task.logFile} fullLog={fullLog} footer={footer} footerHeight={FOOTER} width={inner} height={height - 1} />
    </Box>
  );
}

function ReviewStatus({ refused, upToDate, read, target }: { refused: string[]; upToDate: boolean; read: boolean; target: string }) {
  if (upToDate) return <Badge kind="ok">{`already at ${target}: nothing to do`}</Badge>;
  if (refused.length > 0) return <Badge kind="fail">{`refused: ${refused.join('; ')} — fix it, then c to check again`}</Badge>;
  if (!read) return <Badge kind="warn">read the release notes to their end and acknowledge them (r) before updating</Badge>;
  return <Badge kind="info">ready: u or ⏎ starts the update (asks first)</Badge>;
}

