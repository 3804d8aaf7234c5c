import fs from 'node:fs';
import path from 'node:path';
import { CliError } from '../../tasks/errors.js';

// sbin folders are often missing from an ordinary user's PATH.
const EXTRA = ['/usr/local/bin', '/usr/bin', '/usr/local/sbin', '/usr/sbin', '/bin', '/sbin'];

/** A program on PATH or in the usual folders; a clear error naming the Debian package when it is missing. */
export function findExecutable(name: string, debianPackage: string, env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of [...(env.PATH ?? '').split(path.delimiter).filter(Boolean), ...EXTRA]) {
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; try the next folder
    }
  }
  throw new CliError(`${name} is not installed (the sandbox's services need it)`, undefined, `apt-get install ${debianPackage}`);
}

const PLUGIN_DIRS = ['/usr/lib/uwsgi/plugins', '/usr/local/lib/uwsgi/plugins'];

/** uWSGI's python plugin for the virtualenv's python: `python3NN` for its version, else Debian's `python3` link. */
export function uwsgiPythonPlugin(pythonVersion: string): string {
  const exists = (name: string) => PLUGIN_DIRS.some((dir) => fs.existsSync(path.join(dir, `${name}_plugin.so`)));
  const versioned = `python${pythonVersion.replace('.', '')}`;
  if (exists(versioned)) return versioned;
  if (exists('python3')) return 'python3';
  throw new CliError(`uWSGI has no python plugin for Python ${pythonVersion}`, undefined, 'apt-get install uwsgi-plugin-python3');
}
