import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../tasks/atomic-write.js';
import { UsageError } from '../tasks/errors.js';
import type { SandboxState } from './types.js';

export const STATE_FILE = 'sandbox.json';

export function statePath(dir: string): string {
  return path.join(dir, STATE_FILE);
}

export async function writeState(state: SandboxState): Promise<void> {
  await writeFileAtomic(statePath(state.dir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o644 });
}

/** The state of the sandbox in `dir`; a clear error when `dir` is not one. */
export function readState(dir: string): SandboxState {
  const file = statePath(dir);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    const why = fs.existsSync(dir) ? `${file} is missing` : 'the folder does not exist';
    throw new UsageError(`${dir} is not a catmaid-tui sandbox (${why})`, 'create one with: catmaid-tui sandbox create [DIR]');
  }
  let state: Partial<SandboxState>;
  try {
    state = JSON.parse(text) as Partial<SandboxState>;
  } catch (err) {
    throw new UsageError(`${file} is not valid JSON: ${(err as Error).message}`);
  }
  if (state.kind !== 'catmaid-tui-sandbox' || state.formatVersion !== 1) {
    throw new UsageError(`${dir} is not a catmaid-tui sandbox (${file} has no sandbox marker)`);
  }
  // The state names the folder it was written in; a copied sandbox is relocated by copySandbox.
  if (path.resolve(state.dir ?? '') !== path.resolve(dir)) {
    throw new UsageError(`${file} belongs to ${state.dir}, not ${dir}`, 'copy sandboxes with copySandbox, not cp');
  }
  return state as SandboxState;
}

/** Paths of a sandbox's parts, derived from DIR. */
export function layoutOf(dir: string): Pick<SandboxState, 'dir' | 'root' | 'origin' | 'pgDir' | 'logFile'> {
  return {
    dir,
    root: path.join(dir, 'catmaid'),
    origin: path.join(dir, 'origin.git'),
    pgDir: path.join(dir, 'pg'),
    logFile: path.join(dir, 'log', 'postgresql.log'),
  };
}
