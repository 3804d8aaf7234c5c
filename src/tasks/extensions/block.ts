import { pythonString } from '../settings-block.js';

/**
 * The managed block through which catmaid-tui changes STATIC_EXTENSION_FILES. It works on whatever the admin's
 * lines above produced (a list, or the tuple of CATMAID's administration manual) and always leaves a list, as CATMAID demands:
 *
 *   STATIC_EXTENSION_FILES = list(dict.fromkeys(list(STATIC_EXTENSION_FILES) + ['a.js']))
 *   STATIC_EXTENSION_FILES = [f for f in STATIC_EXTENSION_FILES if f not in ['old.js']]
 *
 * `added` are names catmaid-tui added; `removed` are names the admin's own lines list and catmaid-tui took out.
 */
export const EXTENSIONS_BLOCK = 'static-extension-files';

export interface ExtensionChanges {
  added: string[];
  removed: string[];
}

const pyList = (names: string[]): string => `[${names.map(pythonString).join(', ')}]`;

export function renderExtensionBlock(changes: ExtensionChanges): string[] | null {
  if (changes.added.length === 0 && changes.removed.length === 0) return null;
  const lines = [
    // Without this the block fails when no line above defines it: settings_base.py does, but be safe.
    "STATIC_EXTENSION_FILES = list(globals().get('STATIC_EXTENSION_FILES', []))",
  ];
  if (changes.added.length > 0) {
    lines.push(`STATIC_EXTENSION_FILES = list(dict.fromkeys(STATIC_EXTENSION_FILES + ${pyList(changes.added)}))`);
  }
  if (changes.removed.length > 0) {
    lines.push(`STATIC_EXTENSION_FILES = [f for f in STATIC_EXTENSION_FILES if f not in ${pyList(changes.removed)}]`);
  }
  return lines;
}

function listIn(line: string, pattern: RegExp): string[] | null {
  const m = pattern.exec(line);
  if (!m) return null;
  return [...m[1].matchAll(/'((?:[^'\\]|\\.)*)'/g)].map((x) => x[1].replace(/\\(.)/g, '$1'));
}

/** Read back a block written by renderExtensionBlock (the lines between the markers). */
export function parseExtensionBlock(lines: string[] | null): ExtensionChanges {
  const changes: ExtensionChanges = { added: [], removed: [] };
  for (const line of lines ?? []) {
    changes.added.push(...(listIn(line, /dict\.fromkeys\(STATIC_EXTENSION_FILES \+ (\[.*\])\)\)$/) ?? []));
    changes.removed.push(...(listIn(line, /if f not in (\[.*\])\]$/) ?? []));
  }
  return changes;
}

/** What the block does to the list the lines above produced (for the static settings reader). */
export function applyExtensionChanges(before: string[], changes: ExtensionChanges): string[] {
  const merged = [...new Set([...before, ...changes.added])];
  return merged.filter((name) => !changes.removed.includes(name));
}
