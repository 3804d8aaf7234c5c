import path from 'node:path';
import { oneLine } from '../errors.js';
import { probeDatabase } from './database.js';
import { readGitState, withoutOwnFiles, type OwnFiles } from './git.js';

import { readLayout } from './layout.js';
import type { LocatedInstance } from './locate.js';
import { instanceProcessesOf } from './managed-processes.js';
import { findServerProcesses } from './processes.js';
import { NOTICE_PROVIDERS } from './notice-providers.js';
import { collectNotices, type Notice } from './notices.js';
import { readSettings } from './settings.js';
import type { DatabaseState, InstanceInfo, ServerProcess } from './types.js';

export interface DiscoverOptions {
  /** Connect to the database (default true). */
  database?: boolean;
  /** Look for server processes (default true). */
  processes?: boolean;
}

const NOT_PROBED: DatabaseState = { reachable: false, error: 'not checked' };

/** Everything about an instance, read concurrently: layout, git, settings, database, server processes. */
export async function discoverInstance(located: LocatedInstance, options: DiscoverOptions = {}): Promise<InstanceInfo> {
  const layout = readLayout(located.root);
  const [git, settings] = await Promise.all([
    readGitState(located.root).catch((err: unknown) => ({ error: oneLine(err) })),
    readSettings(layout),
  ]);
  const own = ownFilesOf(layout.root, layout.settingsPy, settings.settings.staticExtensionRoot, settings.settings.staticExtensionFiles);
  const gitState = 'error' in git ? git : withoutOwnFiles(git, own);
  const database = options.database === false ? NOT_PROBED : await probeDatabase(settings.settings.database);
  const servers = options.processes === false ? [] : findServerProcesses(located.root);
  const processes = options.processes === false ? [] : instanceProcessesOf(located.root);
  return { name: located.name, layout, git: gitState, settings, database, servers, processes };
}

/** Where catmaid-tui writes inside a checkout, relative to its root (see OwnFiles). */
export function ownFilesOf(root: string, settingsPy: string, extensionRoot: string | null, extensionFiles: string[]): OwnFiles {
  const inside = (dir: string): string | null => {
    const rel = path.relative(path.resolve(root), path.resolve(root, dir));
    return rel.startsWith('..') || path.isAbsolute(rel) ? null : rel.split(path.sep).join('/');
  };
  return {
    extensionDir: extensionRoot ? inside(extensionRoot) : null,
    extensionFiles,
    settingsDir: inside(path.dirname(settingsPy)) ?? '',
  };
}

/** The parts that change while the wizard is open: database reachable, server processes. */
export async function probeLive(info: InstanceInfo): Promise<{ database: DatabaseState; servers: ServerProcess[] }> {
  const database = await probeDatabase(info.settings.settings.database);
  return { database, servers: findServerProcesses(info.layout.root) };
}

/** What needs the admin's attention on this instance (see notices.ts). */
export function readNotices(info: InstanceInfo, timeoutMs?: number): Promise<Notice[]> {
  return collectNotices(info, NOTICE_PROVIDERS, timeoutMs);
}

export { locateInstance, locateInstances, type LocatedInstance } from './locate.js';
export type * from './types.js';
export type { Notice } from './notices.js';
