import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../atomic-write.js';
import { CliError, EXIT, UsageError, oneLine } from '../errors.js';
import { readSettingsFromDjango } from '../instance/settings-django.js';
import { readSettingsStatically } from '../instance/settings-static.js';
import { djangoFailure } from '../instance/settings.js';
import type { EffectiveSettings, InstanceInfo, InstanceLayout, SettingsReading } from '../instance/types.js';
import { applyManagedBlock, readManagedBlock, restoreContent } from '../settings-block.js';
import { EXTENSIONS_BLOCK, parseExtensionBlock, renderExtensionBlock, type ExtensionChanges } from './block.js';
import { deleteExtensionFile, placeExtensionFile, readExtensionSource } from './copy.js';
import { checkExtensionName } from './names.js';
import { trustFor } from './trusted-path.js';

export interface ExtensionChangeResult {
  name: string;
  /** The file in STATIC_EXTENSION_ROOT, when one was copied or deleted. */
  file?: string;
  fileChanged: boolean;
  settingsChanged: boolean;
  backup?: string;
  /** The list as the settings give it after the change. */
  files: string[];
  verifiedBy: 'django' | 'static';
  /** Worth a second look, did not stop the change (a very large file). */
  warnings: string[];
}

/**
 * CATMAID's own start-up check: a list of files and a string root, here with the name where it should be. Django
 * must import the result if it imported the settings before the change. Where it could not (a virtualenv without
 * celery, as on many real instances), the change must not make it fail any other way, and the static reader checks.
 */
async function settingsAfter(layout: InstanceLayout, before: SettingsReading): Promise<{ settings: EffectiveSettings; by: 'django' | 'static' }> {
  try {
    return { settings: await readSettingsFromDjango(layout), by: 'django' };
  } catch (err) {
    if (before.source === 'django') throw err;
    if (layout.virtualenv && before.fallbackReason !== djangoFailure(err)) throw err;
    return { settings: readSettingsStatically(layout), by: 'static' };
  }
}

function problemWith(settings: EffectiveSettings, name: string, wanted: boolean): string | null {
  if (!settings.staticExtensionFilesIsList) return 'STATIC_EXTENSION_FILES is not a list';
  if (typeof settings.staticExtensionRoot !== 'string') return 'STATIC_EXTENSION_ROOT is not a string';
  if (settings.staticExtensionFiles.includes(name) !== wanted) {
    return `${name} is ${wanted ? 'missing from' : 'still in'} STATIC_EXTENSION_FILES`;
  }
  return null;
}

async function currentChanges(settingsPy: string): Promise<{ before: string; changes: ExtensionChanges }> {
  const before = await fs.readFile(settingsPy, 'utf8');
  return { before, changes: parseExtensionBlock(readManagedBlock(before, EXTENSIONS_BLOCK)) };
}

/** Write the block, import the settings again; on any problem put settings.py back as it was. */
async function writeAndCheck(
  { layout, settings: reading }: InstanceInfo,
  before: string,
  changes: ExtensionChanges,
  name: string,
  wanted: boolean,
): Promise<{ backup?: string; changed: boolean; settings: EffectiveSettings; by: 'django' | 'static' }> {
  const change = await applyManagedBlock(layout.settingsPy, EXTENSIONS_BLOCK, renderExtensionBlock(changes), layout.root);
  let checked: { settings: EffectiveSettings; by: 'django' | 'static' };
  try {
    checked = await settingsAfter(layout, reading);
  } catch (err) {
    if (change.changed) await restoreContent(layout.settingsPy, before);
    throw new CliError(`settings.py no longer imports after the change, so it was put back: ${oneLine(err)}`);
  }
  const problem = problemWith(checked.settings, name, wanted);
  if (problem) {
    if (change.changed) await restoreContent(layout.settingsPy, before);
    throw new CliError(`${problem} after the change, so settings.py was put back`, EXIT.failed);
  }
  return { backup: change.backup, changed: change.changed, ...checked };
}

/**
 * Copy a file into STATIC_EXTENSION_ROOT (0644) and list it in STATIC_EXTENSION_FILES. Twice = once. The file and
 * the folder are checked first (copy.ts, trusted-path.ts); if the settings change fails, the folder is put back.
 */
export async function addExtension(info: InstanceInfo, source: string, name?: string): Promise<ExtensionChangeResult> {
  const fileName = checkExtensionName(name ?? path.basename(source));
  const root = info.settings.settings.staticExtensionRoot;
  if (!root) throw new UsageError('STATIC_EXTENSION_ROOT is not set in settings.py', 'set it to the folder nginx serves at STATIC_EXTENSION_URL');
  const trust = trustFor(info.layout.settingsPy);
  const { content, warnings } = await readExtensionSource(source, trust);
  const placed = await placeExtensionFile(root, fileName, content, trust, info.layout.root);
  const { before, changes } = await currentChanges(info.layout.settingsPy);
  const listed = info.settings.settings.staticExtensionFiles.includes(fileName) && info.settings.settings.staticExtensionFilesIsList;
  const next: ExtensionChanges = {
    added: listed || changes.added.includes(fileName) ? changes.added : [...changes.added, fileName],
    removed: changes.removed.filter((n) => n !== fileName),
  };
  try {
    const written = await writeAndCheck(info, before, next, fileName, true);
    return {
      name: fileName,
      file: placed.target,
      fileChanged: placed.changed,
      settingsChanged: written.changed,
      backup: written.backup,
      files: written.settings.staticExtensionFiles,
      verifiedBy: written.by,
      warnings,
    };
  } catch (err) {
    if (placed.changed && placed.previous) await writeFileAtomic(placed.target, placed.previous, { mode: 0o644 });
    else if (placed.changed) await fs.rm(placed.target, { force: true });
    throw err;
  }
}

/** Take a name out of STATIC_EXTENSION_FILES (and, with deleteFile, its file out of the folder). */
export async function removeExtension(info: InstanceInfo, name: string, deleteFile = false): Promise<ExtensionChangeResult> {
  const fileName = checkExtensionName(name);
  const { before, changes } = await currentChanges(info.layout.settingsPy);
  if (!info.settings.settings.staticExtensionFiles.includes(fileName) && !changes.added.includes(fileName)) {
    throw new UsageError(`${fileName} is not in STATIC_EXTENSION_FILES`, 'see: catmaid-tui extensions list');
  }
  const ours = changes.added.includes(fileName);
  const withoutOurs: ExtensionChanges = { added: changes.added.filter((n) => n !== fileName), removed: changes.removed };
  const takenOut: ExtensionChanges = { ...withoutOurs, removed: [...withoutOurs.removed, fileName] };
  let written;
  if (!ours) written = await writeAndCheck(info, before, takenOut, fileName, false);
  else {
    try {
      written = await writeAndCheck(info, before, withoutOurs, fileName, false);
    } catch (err) {
      // Listed by the admin's own lines as well: take it out of the result too.
      if (!(err instanceof CliError) || !/still in/.test(err.message)) throw err;
      written = await writeAndCheck(info, before, takenOut, fileName, false);
    }
  }
  const root = info.settings.settings.staticExtensionRoot;
  const file = root ? path.join(root, fileName) : undefined;
  let fileChanged = false;
  if (deleteFile && file) fileChanged = await deleteExtensionFile(file, info.layout.root);
  return {
    name: fileName,
    file,
    fileChanged,
    settingsChanged: written.changed,
    backup: written.backup,
    files: written.settings.staticExtensionFiles,
    verifiedBy: written.by,
    warnings: [],
  };
}
