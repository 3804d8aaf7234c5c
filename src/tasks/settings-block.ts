import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { UsageError } from './errors.js';
import { keepCopy } from './file-copies.js';
import { gitTopLevel, looksLikeCatmaid } from './instance/locate.js';
import { hasNoControlCharacters } from './safe-name.js';

/**
 * catmaid-tui changes settings.py only inside blocks it owns, between marker comments, so a change can be found,
 * repeated without duplication, and taken out again leaving the admin's own lines untouched.
 */
export const blockStart = (id: string): string => `# >>> catmaid-tui: ${id} >>>`;
export const blockEnd = (id: string): string => `# <<< catmaid-tui: ${id} <<<`;

const NOTE = '# Managed by catmaid-tui; edit with catmaid-tui or remove the whole block.';

function escapeRe(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A Python string literal for a value that goes into settings.py: single quotes, with backslash and quote
 * escaped. A value with a control character (a newline would end the line and start a new statement) is refused.
 */
export function pythonString(value: string): string {
  if (!hasNoControlCharacters(value)) throw new UsageError(`${JSON.stringify(value)}: a control character (newline, tab …) cannot go into settings.py`);
  return `'${value.replace(/[\\']/g, '\\$&')}'`;
}

const MARKER = /^# (>>>|<<<) catmaid-tui:/;

/**
 * Every line written into a managed block is one line of its own: no control character (a newline inside a
 * value would add a statement, a carriage return would hide one), and none that looks like a block marker (it
 * would end the block early, and the rest would survive the block's removal). Refused for every caller here.
 */
function checkBlock(id: string, lines: string[]): void {
  if (id === '' || !hasNoControlCharacters(id) || /<<<|>>>/.test(id)) throw new UsageError(`managed block id ${JSON.stringify(id)}: empty, a control character, or a marker's <<< / >>>`);
  for (const line of lines) {
    if (!hasNoControlCharacters(line)) throw new UsageError(`${JSON.stringify(line)}: a control character (newline, tab …) cannot go into a managed block`);
    if (MARKER.test(line)) throw new UsageError(`${JSON.stringify(line)}: looks like catmaid-tui's block marker`);
  }
}

/** The lines of the block with this id, or null when the file has none. */
export function readManagedBlock(content: string, id: string): string[] | null {
  const re = new RegExp(`^${escapeRe(blockStart(id))}\\n([\\s\\S]*?)^${escapeRe(blockEnd(id))}\\n?`, 'm');
  const match = re.exec(content);
  if (!match) return null;
  return match[1].split('\n').filter((line, i, all) => !(i === all.length - 1 && line === '') && line !== NOTE);
}

/**
 * The file's content with the block set to `lines` (null or [] removes it). A new block goes at the end, after
 * everything it may override. Removing the block gives back the content from before it was added, exactly.
 */
export function withManagedBlock(content: string, id: string, lines: string[] | null): string {
  checkBlock(id, lines ?? []);
  const re = new RegExp(`\\n?^${escapeRe(blockStart(id))}\\n[\\s\\S]*?^${escapeRe(blockEnd(id))}\\n?`, 'm');
  const existing = re.exec(content);
  const block = lines && lines.length > 0 ? [blockStart(id), NOTE, ...lines, blockEnd(id)].join('\n') + '\n' : '';
  if (existing) {
    if (!block) return content.slice(0, existing.index) + content.slice(existing.index + existing[0].length);
    const lead = existing[0].startsWith('\n') ? '\n' : '';
    return content.slice(0, existing.index) + lead + block + content.slice(existing.index + existing[0].length);
  }
  if (!block) return content;
  // One blank line before the block; it is taken out again with the block.
  const base = content === '' || content.endsWith('\n') ? content : `${content}\n`;
  return `${base}\n${block}`;
}

export interface BlockChange {
  changed: boolean;
  /** The copy of the previous file in catmaid-tui's state folder (see keepCopy), when something changed. */
  backup?: string;
  before: string;
  after: string;
}

/** The CATMAID checkout a settings file belongs to, so its copy goes with that instance's state. */
function instanceRootOf(file: string): string | null {
  const top = gitTopLevel(path.dirname(file));
  return top && looksLikeCatmaid(top) ? top : null;
}

/**
 * Set or remove a managed block in a file, atomically, after keeping a copy of the old file in the instance's
 * state folder (never next to it: in the checkout a copy is an untracked change that blocks updates).
 */
export async function applyManagedBlock(file: string, id: string, lines: string[] | null, root = instanceRootOf(file)): Promise<BlockChange> {
  const before = await fs.readFile(file, 'utf8');
  const after = withManagedBlock(before, id, lines);
  if (after === before) return { changed: false, before, after };
  const backup = await keepCopy(file, root);
  await writeFileAtomic(file, after);
  return { changed: true, backup, before, after };
}

/** Put a file back as it was (after a change failed its check). */
export async function restoreContent(file: string, content: string): Promise<void> {
  await writeFileAtomic(file, content);
}
