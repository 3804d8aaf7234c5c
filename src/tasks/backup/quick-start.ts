import { git } from '../instance/git.js';
import { readLayout } from '../instance/layout.js';
import { readSettings } from '../instance/settings.js';
import { readSettingsFromDjango } from '../instance/settings-django.js';
import { readSettingsStatically } from '../instance/settings-static.js';
import type { DatabaseSettings, InstanceLayout } from '../instance/types.js';
import { DESCRIBE_RELEASE } from '../release-tag.js';
import type { GitVersion } from './backup.js';

/** What a backup needs of an instance, had as soon as it can be. */
export interface QuickInstance {
  layout: InstanceLayout;
  db: DatabaseSettings;
  git: GitVersion;
  /** The database as Django reads it, when `db` came from the static reader first; null when Django was asked. */
  confirmDb: Promise<DatabaseSettings> | null;
}

/** The commit and its release description: two git calls (the full git state reads tags and the work tree too). */
export async function quickGitVersion(root: string): Promise<GitVersion> {
  const [head, describe] = await Promise.all([
    git(root, ['rev-parse', 'HEAD'], { reject: false }),
    git(root, [...DESCRIBE_RELEASE, '--always'], { reject: false }),
  ]);
  if (head.exitCode !== 0) return { commit: null, shortCommit: null, describe: null };
  const commit = head.stdout.trim();
  return { commit, shortCommit: commit.slice(0, 7), describe: describe.exitCode === 0 ? describe.stdout.trim() : null };
}

/**
 * The database settings from the static reader (instant) while Django imports the settings (python starting,
 * CATMAID's settings_base importing half a virtualenv: the slow part of discovery), so pg_dump starts at once;
 * the backup then checks Django's answer before it keeps the dump (runBackup's `confirmDb`). When the static
 * reader cannot tell, Django (or the usual fallback) is waited for.
 */
export async function quickInstance(root: string): Promise<QuickInstance> {
  const layout = readLayout(root);
  const gitVersion = quickGitVersion(root);
  let early: DatabaseSettings | null = null;
  try {
    early = readSettingsStatically(layout).database;
  } catch {
    // Not plain assignments: only Django can tell.
  }
  if (!early?.name) return { layout, db: (await readSettings(layout)).settings.database, git: await gitVersion, confirmDb: null };
  const known = early;
  // A virtualenv that cannot import the settings leaves the static reading as the answer, as `info` does.
  const confirmDb = readSettingsFromDjango(layout).then((s) => s.database, () => known);
  return { layout, db: known, git: await gitVersion, confirmDb };
}

/** Whether two readings name the same database the same way. */
export function sameDatabase(a: DatabaseSettings, b: DatabaseSettings): boolean {
  return a.name === b.name && a.user === b.user && a.password === b.password && a.host === b.host && a.port === b.port;
}
