import fs from 'node:fs';
import path from 'node:path';
import { instanceForRoot, loadConfig, type InstanceConfig } from '../config.js';
import { UsageError } from '../errors.js';

export interface LocatedInstance {
  name: string;
  root: string;
  /** How the root was found, for messages. */
  via: '--catmaid-dir' | 'CATMAID_DIR' | 'cwd' | 'config' | 'demo';
  config?: InstanceConfig;
}

const HINT = 'use --catmaid-dir DIR, set CATMAID_DIR, or run from inside the CATMAID checkout';

export function looksLikeCatmaid(dir: string): boolean {
  return fs.existsSync(path.join(dir, 'django')) && fs.statSync(path.join(dir, 'django')).isDirectory();
}

function checkedRoot(dir: string, via: string): string {
  const root = path.resolve(dir);
  if (!fs.existsSync(root)) throw new UsageError(`${via} ${dir}: no such directory`, HINT);
  if (!fs.statSync(root).isDirectory()) throw new UsageError(`${via} ${dir}: not a directory`, HINT);
  if (!looksLikeCatmaid(root)) {
    throw new UsageError(`${via} ${dir}: not a CATMAID checkout (no django/ folder)`, HINT);
  }
  return root;
}

/** The top of the git work tree around `dir`, found by walking up (no git process at start-up). */
export function gitTopLevel(dir: string): string | undefined {
  let current = path.resolve(dir);
  for (;;) {
    if (fs.existsSync(path.join(current, '.git'))) return current;
    const parent = path.dirname(current);
    if (parent === current) return undefined;
    current = parent;
  }
}

export interface LocateOptions {
  catmaidDir?: string;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  configFile?: string;
}

async function named(root: string, via: LocatedInstance['via'], configFile?: string): Promise<LocatedInstance> {
  const entry = instanceForRoot(await loadConfig(configFile), root);
  return entry
    ? { name: entry[0], root, via, config: entry[1] }
    : { name: path.basename(root) || root, root, via };
}

/**
 * Candidate instances in order of precedence. Exactly one unless the only source is a config with several
 * instances (the wizard then shows a picker). None is a usage error saying how to point at one.
 */
export async function locateInstances(options: LocateOptions = {}): Promise<LocatedInstance[]> {
  const env = options.env ?? process.env;
  if (options.catmaidDir !== undefined) {
    return [await named(checkedRoot(options.catmaidDir, '--catmaid-dir'), '--catmaid-dir', options.configFile)];
  }
  if (env.CATMAID_DIR) {
    return [await named(checkedRoot(env.CATMAID_DIR, 'CATMAID_DIR'), 'CATMAID_DIR', options.configFile)];
  }
  const top = gitTopLevel(options.cwd ?? process.cwd());
  if (top && looksLikeCatmaid(top)) return [await named(top, 'cwd', options.configFile)];
  const config = await loadConfig(options.configFile);
  const configured = Object.entries(config.instances).map(
    ([name, entry]): LocatedInstance => ({ name, root: entry.root, via: 'config', config: entry }),
  );
  if (configured.length > 0) return configured;
  throw new UsageError('no CATMAID instance found', `${HINT} (or try: catmaid-tui demo)`);
}

/** One instance, for commands: several configured and none named is a usage error. */
export async function locateInstance(options: LocateOptions = {}): Promise<LocatedInstance> {
  const found = await locateInstances(options);
  if (found.length > 1) {
    throw new UsageError(
      `${found.length} instances are configured (${found.map((f) => f.name).join(', ')}); name one`,
      'use --catmaid-dir DIR or CATMAID_DIR',
    );
  }
  const [only] = found;
  if (only.via === 'config') checkedRoot(only.root, `configured instance "${only.name}":`);
  return only;
}
