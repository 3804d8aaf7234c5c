import { Box, Text } from 'ink';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Badge } from '../components/Badge.js';
import { Spinner } from '../components/Spinner.js';
import { truncate } from '../components/theme.js';
import { useChangedAfter, useHold, useScreenKeys } from '../hooks/shell-context.js';
import { useKeymap } from '../hooks/useKeymap.js';
import { useUpdate, type CheckRequest, type UpdateServices } from '../hooks/useUpdate.js';
import { resumePoint } from '../tasks/update/resume.js';
import type { ScreenProps } from './registry.js';
import { Dialogs, type Asking } from './update/Dialogs.js';
import { ReviewStatus, RunFooter } from './update/Footers.js';
import { failureKeys, finishedKeys, pickKeys, reviewKeys, runningKeys, type UpdateAction } from './update/keys.js';
import { checkLines, clampOffset, headline, notesLines } from './update/lines.js';
import { ReviewView } from './update/ReviewView.js';
import { RunView } from './update/RunView.js';
import { TargetPicker } from './update/TargetPicker.js';

export interface UpdateProps extends ScreenProps {
  /** Screen tests pass fake tasks; the app uses the real ones. */
  services?: UpdateServices;
}

type Stage = 'review' | 'pick' | 'run' | 'rollback';
const FOOTER = 6;

/**
 * Update: pre-flight and release notes (read ✓) for the target the admin picks, confirm, the steps as they run
 * (services stopped, maintenance page, backup, update, services started, health); on failure retry, log, roll
 * back or leave. An unfinished update found by the pre-flight is resumed or rolled back first.
 */
export function Update({ info, active, width, height, services }: UpdateProps) {
  const { checking, running, rollingBack, fixingPostgis, steps, failure } = useUpdate(info, services);
  useChangedAfter(running.state, rollingBack.state, fixingPostgis.state);
  const [request, setRequest] = useState<CheckRequest>({});
  const [stage, setStage] = useState<Stage>('review');
  const [asking, setAsking] = useState<Asking>(null);
  const [offset, setOffset] = useState(0);
  const [picked, setPicked] = useState(0);
  const [view, setView] = useState<'notes' | 'checks'>('notes');
  const [checksOffset, setChecksOffset] = useState(0);
  const [read, setRead] = useState(false);
  const [fullLog, setFullLog] = useState(false);
  const [left, setLeft] = useState(false);
  const checked = checking.state.status === 'done' ? checking.state.result : undefined;
  const preview = checked?.preview;
  const current = checked?.info ?? info;

  const check = useCallback((next: CheckRequest) => {
    setRequest(next);
    setRead(false);
    setOffset(0);
    setStage('review');
    checking.start(next);
  }, [checking]);
  useEffect(() => check({}), []); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (fixingPostgis.state.status === 'done') check(request);
  }, [fixingPostgis.state.status]); // eslint-disable-line react-hooks/exhaustive-deps

  const inner = width - 2;
  const notesWidth = inner - Math.max(30, Math.floor(inner * 0.45)) - 4;
  const notes = useMemo(() => (preview ? notesLines(preview.releases, notesWidth) : []), [preview, notesWidth]);
  const notesRoom = Math.max(3, Math.min(notes.length, Math.floor((height - 1 - FOOTER) / 2) - 2));
  const atEnd = offset + notesRoom >= notes.length;
  const checkCount = useMemo(() => (preview ? checkLines(preview, inner - 4, 'all').length : 0), [preview, inner]);
  const isRead = read || (preview !== undefined && preview.releases.length === 0);
  const mayStart = preview !== undefined && isRead && preview.refusals.length === 0 && !preview.upToDate;
  const unfinished = preview?.unfinished && !preview.unfinished.inProgress ? preview.unfinished : null;
  const postgisBehind = preview?.checks.find((c) => c.postgisBehind?.length)?.postgisBehind ?? [];
  const runStatus = running.state.status;
  const failed = stage === 'run' && (runStatus === 'failed' || runStatus === 'cancelled');
  const choices = preview?.choices ?? [];

  const bindings = useMemo(() => {
    if (stage === 'pick') return pickKeys;
    if (stage === 'rollback') return rollingBack.state.status === 'running' ? [] : finishedKeys;
    if (stage === 'run') return runStatus === 'running' ? runningKeys : failed && !left ? failureKeys : finishedKeys;
    const base = { read: false, mayStart: false, localCommits: false, serverRunning: false, choices: false, postgisBehind: false, unfinished: false };
    if (!preview) return checking.state.status === 'failed' ? reviewKeys(base).filter((k) => k.action === 'recheck') : [];
    return reviewKeys({
      read: isRead,
      mayStart,
      localCommits: preview.checks.some((c) => c.id === 'local-commits' && c.status === 'fail'),
      serverRunning: preview.checks.some((c) => c.id === 'server' && c.status === 'fail'),
      choices: choices.length > 1,
      postgisBehind: postgisBehind.length > 0 && fixingPostgis.state.status !== 'running',
      unfinished: unfinished !== null,
    });
  }, [stage, rollingBack.state.status, runStatus, failed, left, preview, checking.state.status, isRead, mayStart, choices.length, postgisBehind.length, fixingPostgis.state.status, unfinished]);
  useScreenKeys(asking ? [] : bindings);
  useHold('busy', active && (asking !== null || stage === 'pick' || (failed && !left)));

  const onAction = useCallback(
    (action: UpdateAction) => {
      if (stage === 'pick') {
        if (action === 'up' || action === 'down') setPicked((at) => Math.max(0, Math.min(choices.length - 1, at + (action === 'up' ? -1 : 1))));
        else if (action === 'pick' && choices[picked]) check({ ...request, to: choices[picked].ref });
        else if (action === 'cancel') setStage('review');
        return;
      }
      const page = Math.max(1, notesRoom - 1);
      const total = view === 'checks' ? checkCount : notes.length;
      const by: Partial<Record<UpdateAction, number>> = { up: -1, down: 1, pgup: -page, pgdn: page, top: -total, bottom: total };
      const scroll = view === 'checks' ? setChecksOffset : setOffset;
      if (by[action] !== undefined) scroll((at) => clampOffset(at + (by[action] ?? 0), total, view === 'checks' ? notesRoom + 1 : notesRoom));
      else if (action === 'details') {
        setView((v) => (v === 'checks' ? 'notes' : 'checks'));
        setChecksOffset(0);
      } else if (action === 'read' && atEnd && view === 'notes') setRead(true);
      else if (action === 'start' && mayStart) setAsking('start');
      else if (action === 'recheck') check(request);
      else if (action === 'target') {
        setPicked(Math.max(0, choices.findIndex((c) => c.ref === preview?.target.ref)));
        setStage('pick');
      } else if (action === 'postgis') setAsking('postgis');
      else if (action === 'resume') setAsking('resume');
      else if (action === 'rebase' || action === 'merge') check({ ...request, integration: action });
      else if (action === 'allow') check({ ...request, allowRunning: true });
      else if (action === 'log') setFullLog((on) => !on);
      else if (action === 'stop') setAsking('stop');
      else if (action === 'retry') {
        if (failure && checked) running.start(current, checked.preview, failure, 'retry');
        else check(request);
      } else if (action === 'rollback') setAsking('rollback');
      else if (action === 'leave') setLeft(true);
    },
    [stage, choices, picked, request, notesRoom, notes.length, view, checkCount, atEnd, mayStart, check, preview, failure, checked, running, current],
  );
  useKeymap(bindings, onAction, { isActive: active && asking === null });

  const onConfirm = (what: Exclude<Asking, null>) => {
    setAsking(null);
    if (what === 'stop') running.cancel();
    else if (what === 'postgis') fixingPostgis.start(current, postgisBehind);
    else if (what === 'rollback') {
      setStage('rollback');
      rollingBack.start(current);
    } else if (what === 'start' && checked) {
      setStage('run');
      setLeft(false);
      running.start(current, checked.preview, undefined, 'new');
    } else if (what === 'resume' && unfinished) {
      const { plan, fromStep, journal } = resumePoint(unfinished);
      setStage('run');
      setLeft(false);
      running.start(current, plan, { index: fromStep, tail: [], journal }, 'resume');
    }
  };
  const stopping = preview && preview.services.setup.programs.length > 0 ? `${preview.services.setup.programs.join(', ')} are stopped, nginx shows the maintenance page, they start again after` : null;
  const ask = (
    <Dialogs
      asking={asking}
      root={info.layout.root}
      database={current.settings.settings.database.name}
      target={preview?.target.ref}
      services={stopping}
      journal={failure?.journal ?? unfinished?.journal}
      postgisDatabases={postgisBehind}
      onCancel={() => setAsking(null)}
      onConfirm={onConfirm}
      isActive={active}
    />
  );

  const title = preview ? headline(preview) : `Update · ${info.layout.root}`;
  if (stage === 'review' || stage === 'pick') {
    return (
      <Box flexDirection="column" width={width} height={height} paddingX={1}>
        <Text bold wrap="truncate">{`${title}${choices.length > 1 && !unfinished ? '   (t: choose the target)' : ''}`}</Text>
        {checking.state.status === 'running' && <Spinner label="pre-flight: reading the checkout, git fetch, release notes, services …" startedAt={checking.state.startedAt} />}
        {checking.state.status === 'failed' && <Badge kind="fail">{truncate(`pre-flight failed: ${checking.state.error}`, inner)}</Badge>}
        {stage === 'pick' && preview ? (
          <TargetPicker choices={choices} current={preview.target.ref} selected={picked} width={inner} height={height - 1 - FOOTER} />
        ) : preview && (
          <ReviewView preview={preview} notes={notes} offset={offset} read={isRead} notesRoom={notesRoom} view={view} checksOffset={checksOffset} width={inner} height={height - 1 - FOOTER} />
        )}
        <Box flexDirection="column" height={FOOTER}>
          {asking ? ask : preview && <ReviewStatus refused={preview.refusals.map((c) => c.title)} upToDate={preview.upToDate} read={isRead} target={preview.target.ref} postgis={fixingPostgis.state} />}
        </Box>
      </Box>
    );
  }

  const task = stage === 'rollback' ? rollingBack.state : running.state;
  const footer = asking ? ask : (
    <RunFooter rollback={stage === 'rollback' ? rollingBack.state : null} run={running.state} failed={failed} left={left} tail={failure?.tail} root={info.layout.root} width={inner} />
  );
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Text bold wrap="truncate">{stage === 'rollback' ? `Roll back · ${title}` : title}</Text>
      <RunView steps={steps} lines={task.lines} logFile={task.logFile} fullLog={fullLog} footer={footer} footerHeight={FOOTER} width={inner} height={height - 1} />
    </Box>
  );
}
