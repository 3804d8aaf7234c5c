import { useCallback, useEffect, useRef, useState } from 'react';
import type { InstanceInfo } from '../tasks/instance/types.js';
import type { SignalKind } from '../tasks/monitor/actions.js';
import { exportSessions } from '../tasks/monitor/export.js';
import { MonitorSession, type MonitorState } from '../tasks/monitor/session.js';
import type { Session } from '../tasks/monitor/types.js';
import { usePoll } from './usePoll.js';

/** What the screen needs from a monitor: MonitorSession in the app, a scripted one in screen tests. */
export interface MonitorSource {
  refresh(): Promise<MonitorState>;
  signal(target: Pick<Session, 'pid' | 'user'>, kind: SignalKind): Promise<boolean>;
  close(): Promise<void>;
}

/** The real monitor of an instance: its database as settings.py says, its root for the worker count. */
export function monitorFor(info: InstanceInfo, options: { allDatabases?: boolean } = {}): MonitorSource {
  const { database, connMaxAge } = info.settings.settings;
  return new MonitorSession({ db: database, connMaxAge, root: info.layout.root, allDatabases: options.allDatabases });
}

/**
 * Task → screen bridge: refresh on the interval (never overlapping; pausing is the screen's, which freezes its
 * table while the header keeps counting), keep the newest state, close the connection when the screen goes
 * away.
 */
export function useMonitor(info: InstanceInfo, intervalMs: number, makeSource?: () => MonitorSource, allDatabases = false) {
  const source = useRef<MonitorSource | null>(null);
  source.current ??= makeSource ? makeSource() : monitorFor(info, { allDatabases });
  const [state, setState] = useState<MonitorState | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const current = source.current;
    return () => {
      void current?.close();
    };
  }, []);

  const tick = useCallback(async () => {
    try {
      const next = await source.current!.refresh();
      setState(next);
      setError(null);
    } catch (err) {
      // A server that went away is reported in state.status; this is for anything else (a bad query).
      setError(err instanceof Error ? err.message : String(err));
    }
  }, []);
  usePoll(tick, intervalMs, { immediate: true });

  const signal = useCallback(
    async (target: Pick<Session, 'pid' | 'user'>, kind: SignalKind): Promise<string> => {
      try {
        const done = await source.current!.signal(target, kind);
        void tick();
        const verb = kind === 'cancel' ? 'cancelled the query of' : 'terminated';
        return done ? `${verb} backend ${target.pid}` : `backend ${target.pid} was already gone`;
      } catch (err) {
        return err instanceof Error ? err.message : String(err);
      }
    },
    [tick],
  );

  /** Write the rows shown to a CSV file in the instance's state folder; says where, or why not. */
  const exportRows = useCallback(async (rows: readonly Session[]): Promise<string> => {
    try {
      return `exported ${rows.length} sessions to ${await exportSessions(info.layout.root, rows)}`;
    } catch (err) {
      return `✗ export failed: ${err instanceof Error ? err.message : String(err)}`;
    }
  }, [info.layout.root]);

  return { state, error, signal, exportRows };
}
