import { execa } from 'execa';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import pkg from '../../package.json' with { type: 'json' };
import { binPath, repoRoot } from '../helpers/cli.js';

/**
 * The suite runs on the Node.js that scripts/setup.sh puts in .node/ (scripts/with-node). From the sources
 * catmaid-tui also runs on the system's node when that is 20.19 or newer, and says in one line that it is too old
 * otherwise (Debian 12's is 18): bin/catmaid-tui as a person starts it, with PATH as it is without .node/bin.
 */
const systemPath = (process.env.PATH ?? '').split(':').filter((dir) => dir !== path.join(repoRoot, '.node', 'bin')).join(':');
const systemNode = systemPath.split(':').map((dir) => path.join(dir, 'node')).find((file) => {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
});

describe('bin/catmaid-tui on the system node', () => {
  it('prints its version, or says in one line that the node is too old', async () => {
    if (systemNode === undefined) {
      // No node at all: the shebang's env cannot start bin/catmaid-tui (the single executable is for that).
      const result = await execa(binPath, ['--version'], { env: { PATH: systemPath }, reject: false });
      expect(result.exitCode).toBe(127);
      return;
    }
    const { stdout: version } = await execa(systemNode, ['-p', 'process.version + " " + process.execPath']);
    const [nodeVersion, execPath] = version.split(' ');
    const [major, minor] = nodeVersion.slice(1).split('.').map(Number);
    const result = await execa(binPath, ['--version'], { env: { PATH: systemPath }, reject: false });
    if (major > 20 || (major === 20 && minor >= 19)) {
      expect(result.exitCode, result.stderr).toBe(0);
      expect(result.stdout).toBe(`${pkg.version} (Node.js ${nodeVersion}, ${execPath})`);
    } else {
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(new RegExp(`^catmaid-tui: needs Node.js >= 20.19, and ${execPath} is ${nodeVersion}\n  hint: .+$`));
    }
  });
});
