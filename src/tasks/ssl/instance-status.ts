import type { InstanceInfo } from '../instance/types.js';
import { findNginx } from './nginx-version.js';
import { readSslRecord } from './record.js';
import { systemProbe } from './renewal.js';
import { systemdRunning } from './restart.js';
import { readSslStatus, type SslStatus } from './status.js';

/**
 * The certificate of an instance's site, as Home, `info`, `ssl status` and the checkup read it: catmaid-tui's
 * record of its setup first (no root needed), else `nginx -T` for the names in ALLOWED_HOSTS.
 */
export async function instanceSslStatus(info: InstanceInfo, options: { nginxConfigArgs?: string[]; serverName?: string } = {}): Promise<SslStatus> {
  const binary = findNginx();
  return readSslStatus({
    record: options.serverName ? null : readSslRecord(info.layout.root),
    serverNames: options.serverName ? [options.serverName] : info.settings.settings.allowedHosts,
    nginx: binary ? { binary, configArgs: options.nginxConfigArgs ?? [] } : undefined,
    probe: async () => systemProbe(await systemdRunning()),
  });
}
