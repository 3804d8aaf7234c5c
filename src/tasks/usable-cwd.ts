import fs from 'node:fs';

/**
 * Every program catmaid-tui runs starts in its working folder: execa hands its full path to spawn, which enters it
 * by that path. Started from a folder this user may not reach — `runuser -u catmaid …` or `sudo -u` in root's 0700
 * home or a clone inside it (the folder itself open, a folder above it not) — every one of them would fail with
 * EACCES. Such a folder (or one deleted meanwhile) is left for `/` at start; a relative path given there could not
 * have been read anyway. The check goes by the full path, as spawn does: `.` is searchable inside such a clone.
 */
export function leaveUnusableCwd(): void {
  try {
    fs.accessSync(process.cwd(), fs.constants.X_OK);
  } catch {
    process.chdir('/');
  }
}
