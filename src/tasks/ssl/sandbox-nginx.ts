import fs from 'node:fs';
import path from 'node:path';
import { servicesLayout } from '../../sandbox/services/layout.js';
import { readState } from '../../sandbox/state.js';
import { findNginx, type NginxCommand } from './nginx-version.js';

/**
 * A sandbox with services serves CATMAID through its own nginx (own prefix, port and site file, in CATMAID's
 * documented layout). When the instance is such a sandbox's checkout, `ssl` and the SSL screen work on that nginx
 * instead of the machine's, and its https server listens on the loopback like its http one.
 */
export interface SandboxNginx {
  nginx: NginxCommand;
  siteFile: string;
  /** Port of the sandbox's plain-http server (it becomes the redirect server). */
  httpPort: number;
}

export function sandboxNginxOf(root: string): SandboxNginx | null {
  const dir = path.dirname(path.resolve(root));
  let state;
  try {
    state = readState(dir);
  } catch {
    return null;
  }
  const binary = findNginx();
  if (!state.services || path.resolve(state.root) !== path.resolve(root) || !binary) return null;
  const layout = servicesLayout(dir);
  if (!fs.existsSync(layout.nginxConf)) return null;
  const errorLog = path.join(layout.nginxPrefix, 'logs', 'error.log');
  return {
    nginx: { binary, configArgs: ['-c', layout.nginxConf, '-p', `${layout.nginxPrefix}/`, '-e', errorLog] },
    siteFile: layout.siteFile,
    httpPort: state.services.port,
  };
}
