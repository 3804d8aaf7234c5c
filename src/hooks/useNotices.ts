import { useCallback, useEffect, useRef, useState } from 'react';
import type { Notice } from '../tasks/instance/notices.js';
import type { InstanceInfo } from '../tasks/instance/types.js';
import type { InstanceServices } from './useInstance.js';
import { usePoll } from './usePoll.js';

export const NOTICES_INTERVAL_MS = 60_000;

/**
 * The instance's notices, read when the instance is (re)loaded whole (`loadedAt` changes: after an update, a
 * restore, a settings change) and then every minute while Home is shown. The live check every few seconds gives
 * a new info object too, but is no reason to read them again. Under other screens nothing runs.
 */
export function useNotices(
  services: InstanceServices,
  info: InstanceInfo | undefined,
  loadedAt: number | undefined,
  visible: boolean,
): Notice[] {
  const [notices, setNotices] = useState<Notice[]>([]);
  const latest = useRef(info);
  latest.current = info;
  const read = useCallback(async () => {
    if (!latest.current || !services.notices) return;
    setNotices(await services.notices(latest.current));
  }, [services]);
  useEffect(() => {
    if (visible && loadedAt !== undefined) void read().catch(() => undefined);
  }, [read, visible, loadedAt]);
  usePoll(read, NOTICES_INTERVAL_MS, { paused: !visible || loadedAt === undefined || !services.notices });
  return notices;
}
