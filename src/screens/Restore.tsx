import { Box, Text } from 'ink';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { Badge } from '../components/Badge.js';
import { Confirm } from '../components/Confirm.js';
import type { MenuMove } from '../components/menu-state.js';
import { Spinner } from '../components/Spinner.js';
import { truncate } from '../components/theme.js';
import { useChangedAfter, useHold, useScreenKeys } from '../hooks/shell-context.js';
import { gitVersion } from '../hooks/useBackup.js';
import { useKeymap } from '../hooks/useKeymap.js';
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

/** Restore: pick a backup, read its details, settle a commit mismatch, type the database name, watch each step. */
export function Restore({ info, active, width, height, services }: RestoreProps) {
  const { listing, inspecting, restoring, rebuilding, steps, lockWait } = useRestore(info, services);
  useChangedAfter(restoring.state);
  const [view, setView] = useState<View>('list');
  const [allowed, setAllowed] = useState(false);
  const [safety, setSafety] = useState(true);
  const [asking, setAsking] = useState<'restore' | 'stop' | 'rebuild' | null>(null);
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
  const mayRestore = inspected !== undefined && inspected.inspection.problems.length === 0 && (!mismatch || allowed);
  const runStatus = restoring.state.status;
  const database = (inspected?.current ?? info).settings.settings.database.name;

  const offerRebuild = (listing.state.result?.emptyDerived.length ?? 0) > 0 && rebuilding.state.status !== 'running' && rebuilding.state.status !== 'done';
  const bindings = useMemo(() => {
    if (view === 'list') return restoreListKeys(offerRebuild);
    if (view === 'details') return detailKeys({ mismatchOpen: mismatch !== null && !allowed, mayRestore });
    if (runStatus === 'running') return lockWait ? [...lockKeys, ...restoreRunningKeys] : restoreRunningKeys;
    return restoreEndKeys;
  }, [view, mismatch, allowed, mayRestore, runStatus, offerRebuild, lockWait]);
  useScreenKeys(asking ? [] : bindings);
  // In the details Esc means "back to the list", not "leave the screen".
  useHold('busy', active && (view === 'details' || asking !== null));

  const onAction = useCallback(
    (action: RestoreAction) => {
      if (MOVES.includes(action)) move(action as MenuMove);
      else if (action === 'reload') listing.start();
      else if (action === 'open' && entries[current()]) {
        setAllowed(false);
        setSafety(true);
        setView('details');
        inspecting.start(entries[current()].path);
      } else if (action === 'back') {
        inspecting.cancel();
        setView('list');
      } else if (action === 'safety') setSafety((on) => !on);
      else if (action === 'allow' && mismatch) setAllowed(true);
      else if (action === 'restore' && mayRestore) setAsking('restore');
      else if (action === 'stop') setAsking('stop');
      else if (action === 'rebuild' && offerRebuild) setAsking('rebuild');
      else if (action.startsWith('lock-') && lockWait) lockWait.answer(LOCK_ANSWERS[action]);
      else if (action === 'list') {
        setView('list');
        listing.start();
      }
    },
    [move, listing, entries, current, inspecting, mismatch, mayRestore, offerRebuild, lockWait],
  );
  useKeymap(bindings, onAction, { isActive: active && asking === null });

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
            onCancel={() => setAsking(null)}
            onConfirm={() => {
              setAsking(null);
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
            onCancel={() => setAsking(null)}
            onConfirm={() => {
              setAsking(null);
              setView('run');
              restoring.start({ inspected, dir: dir ?? '', allowVersionMismatch: allowed, safetyBackup: safety });
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
        onCancel={() => setAsking(null)}
        onConfirm={() => {
          setAsking(null);
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

