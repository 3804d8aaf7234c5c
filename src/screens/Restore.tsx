import { Box, Text } from 'ink';
import { useEffect, useMemo } from 'react';
import { Badge } from '../components/Badge.js';
import { Confirm } from '../components/Confirm.js';
import type { MenuMove } from '../components/menu-state.js';
import { Spinner } from '../components/Spinner.js';
import { truncate } from '../components/theme.js';
import { actionFor } from '../hooks/keymap.js';
import { useChangedAfter, useScreenKeys } from '../hooks/shell-context.js';
import type { TaskStatus } from '../hooks/task-state.js';
import { gitVersion } from '../hooks/useBackup.js';
import { useCurrentState } from '../hooks/useCurrentReducer.js';
import { useKeyRoute } from '../hooks/useKeyRoute.js';
import { useRestore, type RestoreServices } from '../hooks/useRestore.js';
import { useSelection } from '../hooks/useSelection.js';
import { commitMismatch } from '../tasks/backup/inspect.js';
import type { LockChoice } from '../tasks/backup/lock-watch.js';
import { countsLine } from '../tasks/backup/rebuild-derived.js';
import { sessionLine } from '../tasks/backup/sessions.js';
import { formatBytes } from '../tasks/bytes.js';
import { detailKeys, lockKeys, restoreEndKeys, restoreListKeys, restoreRunningKeys, type RestoreAction } from './backup/keys.js';
import { RestoreListView } from './backup/RestoreListView.js';
import { RestoreDetails } from './backup/RestoreDetails.js';
import { RestoreRunView } from './backup/RestoreRunView.js';
import type { ScreenProps } from './registry.js';

export interface RestoreProps extends ScreenProps {
  /** Screen tests pass fake tasks; the app uses the real ones. */
  services?: RestoreServices;
}

type View = 'list' | 'details' | 'run';
const LOCK_ANSWERS: Record<string, LockChoice> = { 'lock-wait': 'wait', 'lock-cancel': 'cancel', 'lock-terminate': 'terminate', 'lock-abort': 'abort' };
const MOVES: readonly string[] = ['up', 'down', 'first', 'last'];

type Asking = 'restore' | 'stop' | 'rebuild' | null;

/** What the keys change: the view, the question asked, and the choices made in the details. */
interface RestoreView {
  view: View;
  asking: Asking;
  allowed: boolean;
  safety: boolean;
}

interface KeyFacts {
  offerRebuild: boolean;
  mismatchOpen: boolean;
  mayRestore: boolean;
  running: boolean;
  lockWait: boolean;
}

function restoreBindings(view: View, facts: KeyFacts) {
  if (view === 'list') return restoreListKeys(facts.offerRebuild);
  if (view === 'details') return detailKeys(facts);
  if (facts.running) return facts.lockWait ? [...lockKeys, ...restoreRunningKeys] : restoreRunningKeys;
  return restoreEndKeys;
}

/** Restore: pick a backup, read its details, settle a commit mismatch, type the database name, watch each step. */
export function Restore({ info, active, width, height, services }: RestoreProps) {
  const { listing, inspecting, restoring, rebuilding, steps, lockWait } = useRestore(info, services);
  useChangedAfter(restoring.state);
  const [{ view, allowed, safety, asking }, set, now] = useCurrentState<RestoreView>({ view: 'list', asking: null, allowed: false, safety: true });
  const entries = listing.state.result?.entries ?? [];
  const { selected, move, current } = useSelection(entries.length);
  useEffect(() => listing.start(), []); // eslint-disable-line react-hooks/exhaustive-deps

  const inspected = inspecting.state.status === 'done' ? inspecting.state.result : undefined;
  const mismatch = useMemo(() => {
    if (!inspected) return null;
    const backup = inspected.inspection.backupCommit;
    const now = gitVersion(inspected.current).commit;
    return backup && now && commitMismatch(backup, now) ? { backup, current: now } : null;
  }, [inspected]);
  const runStatus = restoring.state.status;
  const database = (inspected?.current ?? info).settings.settings.database.name;

  const offerRebuild = (listing.state.result?.emptyDerived.length ?? 0) > 0 && rebuilding.state.status !== 'running' && rebuilding.state.status !== 'done';
  // The keys for the choices as drawn (status bar, help), or as the newest key left them (a key right after another).
  // A backup opened again (⏎) is not verified yet, whatever is drawn.
  const factsOf = (isAllowed: boolean, restoreStatus: TaskStatus, inspectStatus: TaskStatus): KeyFacts => ({
    offerRebuild,
    mismatchOpen: mismatch !== null && !isAllowed,
    mayRestore: inspectStatus === 'done' && inspected !== undefined && inspected.inspection.problems.length === 0 && (!mismatch || isAllowed),
    running: restoreStatus === 'running',
    lockWait: lockWait !== null,
  });
  const { mismatchOpen, mayRestore } = factsOf(allowed, runStatus, inspecting.state.status);
  const bindings = useMemo(
    () => restoreBindings(view, { offerRebuild, mismatchOpen, mayRestore, running: runStatus === 'running', lockWait: lockWait !== null }),
    [view, offerRebuild, mismatchOpen, mayRestore, runStatus, lockWait],
  );
  useScreenKeys(asking ? [] : bindings);

  const onAction = (action: RestoreAction): void => {
    if (MOVES.includes(action)) move(action as MenuMove);
    else if (action === 'reload') listing.start();
    else if (action === 'open' && entries[current()]) {
      set({ view: 'details', allowed: false, safety: true });
      inspecting.start(entries[current()].path);
    } else if (action === 'back') {
      inspecting.cancel();
      set({ view: 'list' });
    } else if (action === 'safety') set({ safety: !now().safety });
    else if (action === 'allow') set({ allowed: true });
    else if (action === 'restore' || action === 'stop' || action === 'rebuild') set({ asking: action });
    else if (action.startsWith('lock-') && lockWait) lockWait.answer(LOCK_ANSWERS[action]);
    else if (action === 'list') {
      set({ view: 'list' });
      listing.start();
    }
  };
  const working = () => [listing, inspecting, restoring, rebuilding].some((task) => task.current().status === 'running');
  // Each key by the newest view: Esc right after ⏎ opened the details goes back to the list, a word typed right
  // after r goes to the question r asked, q and Esc right after the restore started stay with it.
  useKeyRoute(
    {
      // In the details Esc means "back to the list", not "leave the screen".
      hold: () => (now().view === 'details' || now().asking !== null || working() ? 'busy' : undefined),
      waiting: () => now().asking !== null,
      take: (press) => {
        const newest = now();
        // Alone (screen tests) the screen hears the keys too: a question asked has them.
        if (newest.asking !== null) return;
        const action = actionFor(restoreBindings(newest.view, factsOf(newest.allowed, restoring.current().status, inspecting.current().status)), press.name);
        if (action !== undefined) onAction(action);
      },
    },
    active,
  );
  const answered = (): void => set({ asking: null });

  const inner = width - 2;
  const dir = listing.state.result?.dir;

  if (view === 'list') {
    return (
      <Box flexDirection="column" width={width} height={height}>
        <RestoreListView listing={listing.state} rebuilding={rebuilding.state} selected={selected} width={width} height={height - (asking ? 4 : 0)} />
        {asking === 'rebuild' && (
          <Confirm
            message={`Rebuild the derived tables (edges, connector points) of database ${database} now? They are emptied and filled again in one transaction.`}
            yesLabel="Yes, rebuild"
            onCancel={answered}
            onConfirm={() => {
              answered();
              rebuilding.start();
            }}
            isActive={active}
          />
        )}
      </Box>
    );
  }

  if (view === 'details') {
    const bytes = inspecting.state.progress?.done ?? 0;
    return (
      <Box flexDirection="column" width={width} height={height} paddingX={1}>
        <Text bold wrap="truncate">{`Restore · ${entries[current()]?.name ?? ''} → database ${database}`}</Text>
        {inspecting.state.status === 'running' && <Spinner label={`verifying: read ${formatBytes(bytes)} (sha256, completeness) …`} startedAt={inspecting.state.startedAt} />}
        {inspecting.state.status === 'failed' && <Badge kind="fail">{truncate(`cannot read the backup: ${inspecting.state.error}`, inner - 2)}</Badge>}
        {inspected && <RestoreDetails inspected={inspected} entry={entries[current()]} mismatch={mismatch} allowed={allowed} safetyBackup={safety} width={inner} />}
        {asking === 'restore' && inspected && (
          <Confirm
            message={`Restore over database ${database}? Everything in it is replaced${safety ? '; a safety backup is taken first' : ', with NO safety backup'}.`}
            dangerous={{ word: database }}
            onCancel={answered}
            onConfirm={() => {
              set({ asking: null, view: 'run' });
              restoring.start({ inspected, dir: dir ?? '', allowVersionMismatch: now().allowed, safetyBackup: now().safety });
            }}
            isActive={active}
          />
        )}
      </Box>
    );
  }

  const result = restoring.state.result;
  const footer =
    lockWait && asking === null ? (
      <Box flexDirection="column">
        <Badge kind="warn">{truncate(`waiting for a lock held by ${lockWait.wait.blockers.map(sessionLine).join('; ')}`, inner - 2)}</Badge>
        <Text wrap="truncate">{'  c cancel their queries · k end their sessions · a abort the restore (rolled back) · w wait'}</Text>
      </Box>
    ) : asking === 'stop' ? (
      <Confirm
        message="Stop the restore? The running step is cut off; a restore in one transaction is rolled back."
        yesLabel="Yes, stop it"
        onCancel={answered}
        onConfirm={() => {
          answered();
          restoring.cancel();
        }}
        isActive={active}
      />
    ) : runStatus === 'done' && result ? (
      <Box flexDirection="column">
        <Badge kind="ok">{truncate(`restored ${result.inspection.path.split('/').at(-1)} into ${database}`, inner - 2)}</Badge>
        <Text wrap="truncate">{`  safety backup: ${truncate(result.safetyBackup ?? 'none (skipped)', inner - 17, 'start')}`}</Text>
        <Text wrap="truncate">{`  derived tables: ${result.derived ? `rebuilt ${result.derived.via === 'sql' ? 'in SQL' : 'by manage.py'}: ${countsLine(result.derived.counts)}` : 'their rows came with the dump'}`}</Text>
      </Box>
    ) : runStatus === 'failed' || runStatus === 'cancelled' ? (
      <Box flexDirection="column">
        <Badge kind="fail">{`${runStatus === 'cancelled' ? 'stopped' : 'restore failed'}: ${restoring.state.error ?? 'see the ✗ step above'}`}</Badge>
        {steps.rows.find((r) => r.step === 'safety-backup' && r.state === 'done') && (
          <Text wrap="truncate">{`  the safety backup is kept: ${truncate(steps.rows.find((r) => r.step === 'safety-backup')?.detail ?? '', inner - 30, 'start')}`}</Text>
        )}
      </Box>
    ) : null;
  return (
    <Box flexDirection="column" width={width} height={height} paddingX={1}>
      <Text bold wrap="truncate">{`Restore · ${inspected?.inspection.path.split('/').at(-1) ?? ''} → database ${database}`}</Text>
      <RestoreRunView steps={steps} lines={restoring.state.lines} logFile={restoring.state.logFile} footer={footer} footerHeight={asking ? 4 : 4} width={inner} height={height - 1} />
    </Box>
  );
}

