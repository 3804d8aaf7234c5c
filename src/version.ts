import sea from 'node:sea';
import pkg from '../package.json' with { type: 'json' };

/**
 * What `--version` prints: catmaid-tui's version, then the Node.js that runs it, because the same version runs
 * on the Node inside the single executable or on whichever node started bin/catmaid-tui.
 */
export function versionText(): string {
  const where = sea.isSea() ? 'inside this executable' : process.execPath;
  return `${pkg.version} (Node.js ${process.version}, ${where})`;
}
