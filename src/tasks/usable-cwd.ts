import fs from 'node:fs';

/**
 * Every program catmaid-tui runs starts in its working folder (execa hands it to spawn, which enters it). Started
 * from a folder this user may not enter — `runuser -u catmaid …` or `sudo -u` from root's 0700 home — every one of
 * them would fail with EACCES. Such a folder (or one deleted meanwhile) is left for `/` at start; a relative path
 * given there could not have been read anyway.
 */
export function leaveUnusableCwd(): void {
  try {
    fs.accessSync('.', fs.constants.X_OK);
  } catch {
    process.chdir('/');
  }
}
