import fs from 'node:fs';
import sea from 'node:sea';

/**
 * The command that runs this catmaid-tui again, for a crontab line or a systemd unit. The single executable is
 * one file (there process.argv[1] only repeats its own path); from the sources it is node and bin/catmaid-tui.
 */
export function selfCommand(): string[] {
  return sea.isSea() ? [process.execPath] : [process.execPath, fs.realpathSync(process.argv[1])];
}
