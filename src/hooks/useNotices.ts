import { useCallback, useEffect, useState } from 'react';
import type { Notice } from '../tasks/instance/notices.js';
import type { InstanceInfo } from '../tasks/instance/types.js';
import type { InstanceServices } from './useInstance.js';
import { usePoll } from './usePoll.js';

export const NOTICES_INTERVAL_MS = 60_000;

/**
 * The instance's notices, read when the instance is (re)loaded and then every minute while Home is shown.
 * Under other screens nothing runs: nobody reads Home there.
 */
export function useNotices(services: InstanceServices, info: InstanceInfo | undefined, visible: boolean): Notice[] {
  const [notices, setNotices] = useState<Notice[]>([]);
  const read = useCallback(async () => {
    if (!info || !services.notices) return;
    setNotices(await services.notices(info));
  }, [services, info]);
  // A reload (after an update, a restore) gives a new info object: read again at once.
  useEffect(() => {
    if (visible) void read().catch(() => undefined);
  }, [read, visible]);
  usePoll(read, NOTICES_INTERVAL_MS, { paused: !visible || !info || !services.notices });
  return notices;
}
