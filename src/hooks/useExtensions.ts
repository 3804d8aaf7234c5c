import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { completeFrom, splitInput, type Completion, type DirEntry } from '../screens/extensions/complete-path.js';
import { CliError, oneLine } from '../tasks/errors.js';
import { addExtension, removeExtension, type ExtensionChangeResult } from '../tasks/extensions/change.js';
import { listExtensions, type ExtensionListing } from '../tasks/extensions/list.js';
import { checkExtensionName } from '../tasks/extensions/names.js';
import { extensionLocation, nginxServesLocation, type NginxLocationCheck } from '../tasks/extensions/nginx.js';
import { readSettings } from '../tasks/instance/settings.js';
import type { InstanceInfo, InstanceLayout, SettingsReading } from '../tasks/instance/types.js';
import { openTaskLog } from '../tasks/task-log.js';
import { useTask, type TaskContext } from './useTask.js';

/** The extension tasks the screen calls; the real ones by default. */
export interface ExtensionServices {
  list(info: InstanceInfo): Promise<ExtensionListing>;
  add(info: InstanceInfo, file: string, name?: string): Promise<ExtensionChangeResult>;
  remove(info: InstanceInfo, name: string, deleteFile: boolean): Promise<ExtensionChangeResult>;
  nginxCheck(url: string, root: string): Promise<NginxLocationCheck>;
  /** settings.py as Django (or the static reader) sees it now, after a change. */
  reread(layout: InstanceLayout): Promise<SettingsReading>;
  logDir?: string;
}

export const extensionServices: ExtensionServices = {
  list: (info) => listExtensions(info),
  add: addExtension,
  remove: removeExtension,
  nginxCheck: nginxServesLocation,
  reread: readSettings,
};

export type ExtensionChange = { kind: 'add'; file: string; name: string } | { kind: 'remove'; name: string; deleteFile: boolean };

export interface ChangeOutcome {
  change: ExtensionChange;
  result: ExtensionChangeResult;
  log: string;
}

export interface NginxHint {
  location: string;
  check: NginxLocationCheck;
}

/** Why a name cannot be an extension (one line), or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  try {
    checkExtensionName(name);
    return undefined;
  } catch (err) {
    return err instanceof CliError ? err.message : oneLine(err);
  }
}

/** `~/x` and relative paths as the admin means them: from the home folder and the folder catmaid-tui runs in. */
export function expandPath(input: string): string {
  const home = input === '~' || input.startsWith('~/') ? path.join(os.homedir(), input.slice(1)) : input;
  return path.resolve(home);
}

async function folderEntries(dirPart: string): Promise<DirEntry[]> {
  const dir = dirPart === '' ? process.cwd() : expandPath(dirPart);
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  return Promise.all(
    entries.map(async (e) => ({
      name: e.name,
      // A symlink to a folder completes as a folder.
      dir: e.isDirectory() || (e.isSymbolicLink() && (await fs.stat(path.join(dir, e.name)).then((s) => s.isDirectory(), () => false))),
    })),
  );
}

/** Tab in the path field: complete from the file system. */
export async function completePath(input: string): Promise<Completion> {
  return completeFrom(input, await folderEntries(splitInput(input).dirPart));
}

/**
 * The listing, the changes and the nginx hint for the Extensions screen. After a change the settings are read
 * again, so the list shows what settings.py now says, not what it said when the wizard opened.
 */
export function useExtensions(info: InstanceInfo, services: ExtensionServices = extensionServices) {
  const [fresh, setFresh] = useState<SettingsReading | undefined>(undefined);
  const [readError, setReadError] = useState<string | undefined>(undefined);
  const settings = fresh ?? info.settings;
  const current = useMemo(() => ({ ...info, settings }), [info, settings]);
  // The shell hands over a new info object after every live check and after it read the instance again (which a
  // change here asks for): the screen reads settings.py itself, once per file, not once per object.
  const layout = useMemo(() => info.layout, [info.layout.settingsPy]); // eslint-disable-line react-hooks/exhaustive-deps
  const atStart = useRef(info.settings);

  // The shell read settings.py when the wizard opened; it may have changed since (here or by hand).
  useEffect(() => {
    let live = true;
    services.reread(layout).then(
      (reading) => live && setFresh(reading),
      (err: unknown) => {
        if (!live) return;
        setReadError(`settings.py could not be read again (${oneLine(err)}); showing what the wizard read at start`);
        setFresh(atStart.current);
      },
    );
    return () => {
      live = false;
    };
  }, [layout, services]);

  const listRun = useCallback(async (_ctx: TaskContext, of: InstanceInfo) => services.list(of), [services]);
  const listing = useTask(listRun);
  const startListing = listing.start;
  // Keyed on the settings and the layout: the shell's live refresh of the database state does not reload it.
  useEffect(() => {
    if (fresh) startListing({ ...info, layout, settings: fresh });
  }, [fresh, layout, startListing]); // eslint-disable-line react-hooks/exhaustive-deps

  const changeRun = useCallback(
    async (ctx: TaskContext, of: InstanceInfo, change: ExtensionChange): Promise<ChangeOutcome & { settings: SettingsReading }> => {
      const log = openTaskLog(`extensions-${change.kind}`, services.logDir);
      ctx.emit({ type: 'log', file: log.path });
      try {
        log.line(change.kind === 'add' ? `add ${change.file} as ${change.name}` : `remove ${change.name}${change.deleteFile ? ' and delete the file' : ''}`);
        const result = change.kind === 'add' ? await services.add(of, change.file, change.name) : await services.remove(of, change.name, change.deleteFile);
        log.line(`settings.py ${result.settingsChanged ? `changed (backup ${result.backup})` : 'not changed'}; STATIC_EXTENSION_FILES = ${JSON.stringify(result.files)}`);
        return { change, result, log: log.path, settings: await services.reread(of.layout) };
      } catch (err) {
        log.line(`refused or failed, nothing changed: ${oneLine(err)}`);
        throw err;
      } finally {
        log.close();
      }
    },
    [services],
  );
  const changing = useTask(changeRun);
  const changed = changing.state.status === 'done' ? changing.state.result : undefined;
  useEffect(() => {
    if (changed) setFresh(changed.settings);
  }, [changed]);

  const hintRun = useCallback(
    async (_ctx: TaskContext, url: string, root: string): Promise<NginxHint> => ({
      location: extensionLocation(url, root),
      check: await services.nginxCheck(url, root),
    }),
    [services],
  );
  const hint = useTask(hintRun);

  /** Read settings.py again (it may have been edited by hand); a failure is returned as one line. */
  const reload = useCallback(async (): Promise<string | undefined> => {
    try {
      setFresh(await services.reread(layout));
      return undefined;
    } catch (err) {
      return oneLine(err);
    }
  }, [layout, services]);
  const startChange = changing.start;
  const change = useCallback((next: ExtensionChange) => startChange(current, next), [current, startChange]);

  return { info: current, listing: listing.state, readError, changing: changing.state, change, hint, reload };
}
