import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { addUnderDevelopment, releaseChangelog, releaseUpdateNotes, type DevNotes, type ReleaseNotes } from './changelog.js';
import { migrationSource, type MigrationSpec } from './migration-source.js';

export type { MigrationSpec } from './migration-source.js';

export const APP_DIR = 'django/applications/catmaid';
export const MIGRATIONS_DIR = `${APP_DIR}/migrations`;
export const STATIC_DIR = `${APP_DIR}/static/catmaid`;

/** What one commit changes. Every part is optional; later issues add failing migrations or bad requirements. */
export interface CommitSpec {
  message: string;
  /** ISO date; default: a day after the branch's last commit (history stays deterministic). */
  date?: string;
  /** New migrations of the catmaid app, numbered after the newest one on the branch. */
  migrations?: MigrationSpec[];
  /** Files added to the app's static folder (django/applications/catmaid/static/catmaid). */
  staticFiles?: { name: string; content: string }[];
  /** Lines appended to django/requirements.txt (e.g. one that cannot be installed offline). */
  requirements?: string[];
  /** Any other files, relative to the repository root. */
  files?: { path: string; content: string }[];
  /** Changes to existing files, relative to the repository root (e.g. UPDATE.md's late heading rename). */
  edits?: { path: string; change: (text: string) => string }[];
  /** Entries for `## Under development` in CHANGELOG.md. */
  changelog?: DevNotes;
  /** Move the lightweight `stable` tag onto this commit (CATMAID moves it ahead of the last release). */
  stable?: boolean;
}

export interface ReleaseSpec extends Omit<CommitSpec, 'message' | 'changelog' | 'stable'>, ReleaseNotes {
  /** Default: `CATMAID <version>`. */
  message?: string;
  /** Move the lightweight `stable` tag here too (default true, like CATMAID's releases on master). */
  stable?: boolean;
}

const IDENTITY = { name: 'CATMAID Sandbox', email: 'sandbox@catmaid.invalid' };

/**
 * Writes history into a sandbox's bare origin through a scratch clone: open, commit/release as often as needed,
 * publish (push branches and tags), close. Author, committer and dates are fixed, so the history is deterministic.
 */
export class OriginWriter {
  private constructor(
    readonly origin: string,
    readonly work: string,
  ) {}

  static async open(origin: string, branch = 'master'): Promise<OriginWriter> {
    const work = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'catmaid-origin-'));
    const writer = new OriginWriter(origin, work);
    await writer.git(['clone', '--quiet', origin, work], undefined, os.tmpdir());
    const branches = await writer.git(['branch', '-r', '--format=%(refname:short)']);
    if (branches.includes(`origin/${branch}`)) await writer.git(['checkout', '--quiet', '-B', branch, `origin/${branch}`]);
    else await writer.git(['checkout', '--quiet', '--orphan', branch]).catch(() => undefined);
    return writer;
  }

  /** Switch to `branch`, creating it at the current commit when it does not exist. */
  async switchTo(branch: string): Promise<void> {
    const exists = await this.git(['rev-parse', '--verify', '--quiet', `refs/heads/${branch}`]).then(() => true, () => false);
    await this.git(['checkout', '--quiet', ...(exists ? [] : ['-b']), branch]);
  }

  /** Copy a folder's files into the work tree (the initial import). */
  async importTree(from: string): Promise<void> {
    await fs.promises.cp(from, this.work, { recursive: true, filter: (src) => !src.includes('__pycache__') });
  }

  async commit(spec: CommitSpec): Promise<string> {
    await this.applyFiles(spec);
    if (spec.changelog) await this.edit('CHANGELOG.md', (text) => addUnderDevelopment(text, spec.changelog ?? {}));
    const commit = await this.record(spec.message, spec.date);
    if (spec.stable) await this.git(['tag', '-f', 'stable']);
    return commit;
  }

  async release(spec: ReleaseSpec): Promise<string> {
    await this.applyFiles(spec);
    await this.edit('CHANGELOG.md', (text) => releaseChangelog(text, spec));
    await this.edit('UPDATE.md', (text) => releaseUpdateNotes(text, spec));
    const date = spec.date ?? `${spec.version.replaceAll('.', '-')}T12:00:00+00:00`;
    const commit = await this.record(spec.message ?? `CATMAID ${spec.version}`, date);
    await this.git(['tag', '-a', '-m', `CATMAID ${spec.version}`, spec.version], date);
    if (spec.stable !== false) await this.git(['tag', '-f', 'stable'], date);
    return commit;
  }

  /** Push every branch and tag (the `stable` tag moves, hence --force). */
  async publish(): Promise<void> {
    await this.git(['push', '--quiet', '--force', 'origin', '--all']);
    await this.git(['push', '--quiet', '--force', 'origin', '--tags']);
  }

  async close(): Promise<void> {
    await fs.promises.rm(this.work, { recursive: true, force: true });
  }

  private async applyFiles(spec: Omit<CommitSpec, 'message' | 'changelog'>): Promise<void> {
    for (const migration of spec.migrations ?? []) {
      const previous = await this.latestMigration();
      const number = String(previous ? Number(previous.slice(0, 4)) + 1 : 1).padStart(4, '0');
      const name = `${number}_${migration.name}`;
      await this.write(`${MIGRATIONS_DIR}/${name}.py`, migrationSource(migration, previous));
    }
    for (const file of spec.staticFiles ?? []) await this.write(`${STATIC_DIR}/${file.name}`, file.content);
    if (spec.requirements?.length) {
      await this.edit('django/requirements.txt', (text) => `${text.trimEnd()}\n${spec.requirements?.join('\n')}\n`);
    }
    for (const file of spec.files ?? []) await this.write(file.path, file.content);
    for (const edit of spec.edits ?? []) await this.edit(edit.path, edit.change);
  }

  private async latestMigration(): Promise<string | null> {
    const names = (await fs.promises.readdir(path.join(this.work, MIGRATIONS_DIR)).catch(() => [] as string[]))
      .filter((name) => /^\d{4}_\w+\.py$/.test(name))
      .sort();
    return names.length > 0 ? names[names.length - 1].replace(/\.py$/, '') : null;
  }

  private async write(rel: string, content: string): Promise<void> {
    const file = path.join(this.work, rel);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    await fs.promises.writeFile(file, content);
  }

  private async edit(rel: string, change: (text: string) => string): Promise<void> {
    const text = await fs.promises.readFile(path.join(this.work, rel), 'utf8').catch(() => '');
    await this.write(rel, change(text));
  }

  private async record(message: string, date?: string): Promise<string> {
    const when = date ?? (await this.nextDate());
    await this.git(['add', '--all']);
    await this.git(['commit', '--quiet', '--allow-empty', '-m', message], when);
    return this.git(['rev-parse', 'HEAD']);
  }

  private async nextDate(): Promise<string> {
    const last = await this.git(['log', '-1', '--format=%ct']).catch(() => '');
    const seconds = last ? Number(last) + 86_400 : Date.parse('2018-11-09T12:00:00Z') / 1000;
    return new Date(seconds * 1000).toISOString();
  }

  private async git(args: string[], date?: string, cwd = this.work): Promise<string> {
    const env: Record<string, string> = {
      GIT_AUTHOR_NAME: IDENTITY.name,
      GIT_AUTHOR_EMAIL: IDENTITY.email,
      GIT_COMMITTER_NAME: IDENTITY.name,
      GIT_COMMITTER_EMAIL: IDENTITY.email,
      // The user's own git configuration (signing, hooks, templates) must not shape the sandbox's history.
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_CONFIG_NOSYSTEM: '1',
    };
    if (date) Object.assign(env, { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date });
    const result = await execa('git', ['-c', 'init.defaultBranch=master', ...args], { cwd, env });
    return result.stdout.trim();
  }
}

/** Add one release (commit + annotated tag) to a sandbox origin's branch. */
export async function addRelease(origin: string, spec: ReleaseSpec, branch = 'master'): Promise<string> {
  const writer = await OriginWriter.open(origin, branch);
  try {
    const commit = await writer.release(spec);
    await writer.publish();
    return commit;
  } finally {
    await writer.close();
  }
}

/** Add one ordinary commit to a sandbox origin's branch. */
export async function addCommit(origin: string, spec: CommitSpec, branch = 'master'): Promise<string> {
  const writer = await OriginWriter.open(origin, branch);
  try {
    const commit = await writer.commit(spec);
    await writer.publish();
    return commit;
  } finally {
    await writer.close();
  }
}
