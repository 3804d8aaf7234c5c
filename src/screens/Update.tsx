import { Box, Text } from 'ink';
import { useCallback, useEffect, useMemo } from 'react';
import { Badge } from '../components/Badge.js';
import { Spinner } from '../components/Spinner.js';
import { truncate } from '../components/theme.js';
import { actionFor } from '../hooks/keymap.js';
import { useChangedAfter, useScreenKeys } from '../hooks/shell-context.js';
import type { TaskStatus } from '../hooks/task-state.js';
import { useCurrentState } from '../hooks/useCurrentReducer.js';
import { useKeyRoute } from '../hooks/useKeyRoute.js';
import { useUpdate, type CheckRequest, type UpdateServices } from '../hooks/useUpdate.js';
import { resumePoint } from '../tasks/update/resume.js';
import type { ScreenProps } from './registry.js';
import { Dialogs, type Asking } from './update/Dialogs.js';
import { ReviewStatus, RunFooter } from './update/Footers.js';
import { updateBindings, type UpdateAction } from './update/keys.js';
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

/** What the keys change: the stage, the question asked, the scroll positions, the notes read, the target picked. */
interface UpdateView {
  request: CheckRequest;
  stage: Stage;
  asking: Asking;
  offset: number;
  picked: number;
  view: 'notes' | 'checks';
  checksOffset: number;
  read: boolean;
  fullLog: boolean;
  left: boolean;
}

const START: UpdateView = { request: {}, stage: 'review', asking: null, offset: 0, picked: 0, view: 'notes', checksOffset: 0, read: false, fullLog: false, left: false };

/**
 * Update: pre-flight and release notes (read ✓) for the target the admin picks, confirm, the steps as they run
 * (services stopped, maintenance page, backup, update, services started, health); on failure retry, log, roll
 * back or leave. An unfinished update found by the pre-flight is resumed or rolled back first.
 */
export function Update({ info, active, width, height, services }: UpdateProps) {
  const { checking, running, rollingBack, fixingPostgis, steps, failure } = useUpdate(info, services);
  useChangedAfter(running.state, rollingBack.state, fixingPostgis.state);
  const [ui, set, now] = useCurrentState<UpdateView>(START);
  const { stage, asking, offset, picked, view, checksOffset, read, fullLog, left } = ui;
  const checked = checking.state.status === 'done' ? checking.state.result : undefined;
  const preview = checked?.preview;
  const current = checked?.info ?? info;

  const check = useCallback((next: CheckRequest) => {
    set({ request: next, read: false, offset: 0, stage: 'review' });
    checking.start(next);
  }, [checking, set]);
  useEffect(() => check({}), []); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (fixingPostgis.state.status === 'done') check(now().request);
  }, [fixingPostgis.state.status]); // eslint-disable-line react-hooks/exhaustive-deps

  const inner = width - 2;
  const notesWidth = inner - Math.max(30, Math.floor(inner * 0.45)) - 4;
  const notes = useMemo(() => (preview ? notesLines(preview.releases, notesWidth) : []), [preview, notesWidth]);
  const notesRoom = Math.max(3, Math.min(notes.length, Math.floor((height - 1 - FOOTER) / 2) - 2));
  const checkCount = useMemo(() => (preview ? checkLines(preview, inner - 4, 'all').length : 0), [preview, inner]);
  const unfinished = preview?.unfinished && !preview.unfinished.inProgress ? preview.unfinished : null;
  const postgisBehind = preview?.checks.find((c) => c.postgisBehind?.length)?.postgisBehind ?? [];
  const choices = preview?.choices ?? [];
  const isReadIn = (u: UpdateView): boolean => u.read || (preview !== undefined && preview.releases.length === 0);
  const mayStartIn = (u: UpdateView): boolean => preview !== undefined && isReadIn(u) && preview.refusals.length === 0 && !preview.upToDate;
  const failedIn = (u: UpdateView, status: TaskStatus): boolean => u.stage === 'run' && (status === 'failed' || status === 'cancelled');
  const isRead = isReadIn(ui);
  const failed = failedIn(ui, running.state.status);

  // The keys of a state: as drawn (status bar, help) or as the newest key left it (the key right after another).
  const keysIn = (u: UpdateView, tasks: Record<'checking' | 'running' | 'rollingBack' | 'fixingPostgis', TaskStatus>) => updateBindings({
    stage: u.stage,
    working: u.stage === 'rollback' ? tasks.rollingBack === 'running' : tasks.running === 'running',
    failed: failedIn(u, tasks.running) && !u.left,
    checkFailed: tasks.checking === 'failed',
    // A pre-flight started again (c, R, M, A, a target picked) has no findings yet, whatever is drawn.
    review: preview && tasks.checking === 'done' ? {
      read: isReadIn(u),
      mayStart: mayStartIn(u),
      localCommits: preview.checks.some((c) => c.id === 'local-commits' && c.status === 'fail'),
      serverRunning: preview.checks.some((c) => c.id === 'server' && c.status === 'fail'),
      choices: choices.length > 1,
      postgisBehind: postgisBehind.length > 0 && tasks.fixingPostgis !== 'running',
      unfinished: unfinished !== null,
    } : undefined,
  });
  const statuses = { checking: checking.state.status, running: running.state.status, rollingBack: rollingBack.state.status, fixingPostgis: fixingPostgis.state.status };
  const bindings = useMemo(() => keysIn(ui, statuses), // eslint-disable-line react-hooks/exhaustive-deps
    [stage, left, read, preview, statuses.checking, statuses.running, statuses.rollingBack, statuses.fixingPostgis]);
  useScreenKeys(asking ? [] : bindings);

  const onAction = (action: UpdateAction): void => {
    const u = now();
    if (u.stage === 'pick') {
      if (action === 'up' || action === 'down') set({ picked: Math.max(0, Math.min(choices.length - 1, u.picked + (action === 'up' ? -1 : 1))) });
      else if (action === 'pick' && choices[u.picked]) check({ ...u.request, to: choices[u.picked].ref });
      else if (action === 'cancel') set({ stage: 'review' });
      return;
    }
    const page = Math.max(1, notesRoom - 1);
    const total = u.view === 'checks' ? checkCount : notes.length;
    const by: Partial<Record<UpdateAction, number>> = { up: -1, down: 1, pgup: -page, pgdn: page, top: -total, bottom: total };
    const step = by[action];
    if (step !== undefined) {
      if (u.view === 'checks') set({ checksOffset: clampOffset(u.checksOffset + step, total, notesRoom + 1) });
      else set({ offset: clampOffset(u.offset + step, total, notesRoom) });
    } else if (action === 'details') set({ view: u.view === 'checks' ? 'notes' : 'checks', checksOffset: 0 });
    else if (action === 'read' && u.offset + notesRoom >= notes.length && u.view === 'notes') set({ read: true });
    else if (action === 'start' && mayStartIn(u)) set({ asking: 'start' });
    else if (action === 'recheck') check(u.request);
    else if (action === 'target') set({ picked: Math.max(0, choices.findIndex((c) => c.ref === preview?.target.ref)), stage: 'pick' });
    else if (action === 'postgis' || action === 'resume' || action === 'stop') set({ asking: action });
    // Asked only with a journal to roll back from: a question never drawn would keep the keys (waiting).
    else if (action === 'rollback' && (failure ?? unfinished)) set({ asking: 'rollback' });
    else if (action === 'rebase' || action === 'merge') check({ ...u.request, integration: action });
    else if (action === 'allow') check({ ...u.request, allowRunning: true });
    else if (action === 'log') set({ fullLog: !u.fullLog });
    else if (action === 'retry') {
      if (failure && checked) running.start(current, checked.preview, failure, 'retry');
      else check(u.request);
    } else if (action === 'leave') set({ left: true });
  };
  const working = (): boolean => [checking, running, rollingBack, fixingPostgis].some((task) => task.current().status === 'running');
  // Each key by the newest state: the answer typed right after u or b goes to the question it asked, ⏎ right after
  // t picks a target, q and Esc right after the update started stay with it.
  useKeyRoute(
    {
      hold: () => {
        const u = now();
        return u.asking !== null || u.stage === 'pick' || (failedIn(u, running.current().status) && !u.left) || working() ? 'busy' : undefined;
      },
      waiting: () => now().asking !== null,
      take: (press) => {
        // Alone (screen tests) the screen hears the keys too: a question asked has them.
        if (now().asking !== null) return;
        const tasks = { checking: checking.current().status, running: running.current().status, rollingBack: rollingBack.current().status, fixingPostgis: fixingPostgis.current().status };
        const action = actionFor(keysIn(now(), tasks), press.name);
        if (action !== undefined) onAction(action);
      },
    },
    active,
  );

  const onConfirm = (what: Exclude<Asking, null>) => {
    set({ asking: null });
    if (what === 'stop') running.cancel();
    else if (what === 'postgis') fixingPostgis.start(current, postgisBehind);
    else if (what === 'rollback') {
      set({ stage: 'rollback' });
      rollingBack.start(current);
    } else if (what === 'start' && checked) {
      set({ stage: 'run', left: false });
      running.start(current, checked.preview, undefined, 'new');
    } else if (what === 'resume' && unfinished) {
      const { plan, fromStep, journal } = resumePoint(unfinished);
      set({ stage: 'run', left: false });
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
      onCancel={() => set({ asking: null })}
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
