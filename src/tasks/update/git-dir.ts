import fs from 'node:fs';
import path from 'node:path';
import { CliError, EXIT } from '../errors.js';

/**
 * The checkout's git folder: `<root>/.git`, or where a `.git` file (worktree, submodule) points. The update's
 * lock and journal live there, with the instance, so every user and every HOME that updates this checkout sees
 * them; and nothing there shows up in `git status`. Read from the file system (no git process): Home reads
 * the journal every minute.
 */
export function gitDirOf(root: string): string {
  const dotGit = path.join(root, '.git');
  let stat: fs.Stats;
  try {
    stat = fs.statSync(dotGit);
  } catch {
    throw new CliError(`${root} is not a git checkout (no .git)`, EXIT.usage, 'an update needs the CATMAID git checkout');
  }
  if (stat.isDirectory()) return dotGit;
  const pointer = /^gitdir:\s*(.+)$/m.exec(fs.readFileSync(dotGit, 'utf8'))?.[1]?.trim();
  if (!pointer) throw new CliError(`${dotGit}: neither a folder nor a "gitdir:" file`, EXIT.usage);
  return path.resolve(root, pointer);
}

/** `<git dir>/catmaid-tui-<name>`. */
export const gitDirFile = (root: string, name: string): string => path.join(gitDirOf(root), `catmaid-tui-${name}`);
