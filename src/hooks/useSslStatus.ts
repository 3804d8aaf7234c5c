import { useState } from 'react';
import type { InstanceInfo } from '../tasks/instance/types.js';
import { instanceSslStatus } from '../tasks/ssl/instance-status.js';
import { statusSummary } from '../tasks/ssl/status-lines.js';
import { usePoll } from './usePoll.js';

/** Home's line for the SSL entry: '✓ 83 days · auto' (certificate days left, certbot renews it), read every minute. */
export function useSslStatusLine(info: InstanceInfo, visible = true): string | undefined {
  const [line, setLine] = useState<string | undefined>();
  usePoll(
    async () => {
      const status = await instanceSslStatus(info);
      setLine(statusSummary(status) ?? 'no certificate');
    },
    60_000,
    { immediate: true, paused: !visible },
  );
  return line;
}
