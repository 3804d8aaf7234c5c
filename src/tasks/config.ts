import fs from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { UsageError } from './errors.js';
import { configFile } from './paths.js';

/** Per-instance choices that later features remember. */
export interface InstanceConfig {
  root: string;
  backupDir?: string;
  nginxSite?: string;
  tilesPath?: string;
  [key: string]: unknown;
}

export interface Config {
  instances: Record<string, InstanceConfig>;
}

const EMPTY: Config = { instances: {} };

function problem(file: string, what: string): UsageError {
  return new UsageError(`config file ${file}: ${what}`, 'fix or remove the file; nothing was changed');
}

/** Check the parsed JSON's shape; a malformed file is an error that names the file, never a silent reset. */
export function parseConfig(text: string, file: string): Config {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw problem(file, `not valid JSON (${(err as Error).message})`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw problem(file, 'expected a JSON object');
  const instances = (data as { instances?: unknown }).instances ?? {};
  if (typeof instances !== 'object' || instances === null || Array.isArray(instances)) {
    throw problem(file, '"instances" must be an object of name → { "root": "/path" }');
  }
  for (const [name, value] of Object.entries(instances as Record<string, unknown>)) {
    const root = (value as { root?: unknown } | null)?.root;
    if (typeof root !== 'string' || !path.isAbsolute(root)) {
      throw problem(file, `instance "${name}" needs an absolute "root" path`);
    }
  }
  return { ...(data as object), instances: instances as Record<string, InstanceConfig> };
}

export async function loadConfig(file = configFile()): Promise<Config> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return structuredClone(EMPTY);
    throw problem(file, (err as Error).message);
  }
  return parseConfig(text, file);
}

export async function saveConfig(config: Config, file = configFile()): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  await writeFileAtomic(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
}

/** Remember (or update) an instance under a name; returns the name used. */
export async function rememberInstance(
  name: string,
  patch: Partial<InstanceConfig> & { root: string },
  file = configFile(),
): Promise<string> {
  const config = await loadConfig(file);
  config.instances[name] = { ...config.instances[name], ...patch };
  await saveConfig(config, file);
  return name;
}

/** The configured entry for a root, if any. */
export function instanceForRoot(config: Config, root: string): [string, InstanceConfig] | undefined {
  const resolved = path.resolve(root);
  return Object.entries(config.instances).find(([, entry]) => path.resolve(entry.root) === resolved);
}
