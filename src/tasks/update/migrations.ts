import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { writeFileAtomic } from '../atomic-write.js';
import { withClient } from '../db/connect.js';
import { oneLine } from '../errors.js';
import { instanceStatePath } from '../instance/identity.js';
import type { InstanceInfo } from '../instance/types.js';

/**
 * Migrations the code has and the database lacks, from `manage.py migrate --plan` (Django's own answer,
 * squashed and replaced migrations included). That costs a Django start-up (a second or more), and Home asks
 * every minute, so the answer is kept, keyed by what could change it: the commit, the migration folders of the
 * checkout and the virtualenv's packages (their modification times), and the rows of django_migrations (a count
 * and the highest id: one cheap query).
 */
export interface MigrationPlan {
  key: string;
  pending: string[];
  checkedAt: string;
}

/** `migrate --plan` output → the migrations it would apply (`catmaid.0005_x`). */
export function parsePlan(output: string): string[] {
  const lines = output.split('\n');
  const start = lines.findIndex((l) => /^Planned operations:/.test(l.trim()));
  if (start < 0) return [];
  return lines.slice(start + 1).map((l) => /^([\w]+\.[\w]+)\s*$/.exec(l)?.[1]).filter((m): m is string => m !== undefined);
}

function mtime(file: string): string {
  try {
    const stat = fs.statSync(file);
    return `${stat.mtimeMs}`;
  } catch {
    return '-';
  }
}

/** Modification times of every `migrations` folder of the checkout's apps and of the virtualenv's site-packages. */
function fileStamps(info: InstanceInfo): string[] {
  const stamps: string[] = [];
  const apps = path.join(info.layout.djangoDir, 'applications');
  for (const app of safeList(apps)) stamps.push(`${app}:${mtime(path.join(apps, app, 'migrations'))}`);
  const lib = path.join(info.layout.djangoDir, 'env', 'lib');
  for (const python of safeList(lib)) stamps.push(`${python}:${mtime(path.join(lib, python, 'site-packages'))}`);
  return stamps;
}

function safeList(dir: string): string[] {
  try {
    return fs.readdirSync(dir).sort();
  } catch {
    return [];
  }
}

async function appliedStamp(info: InstanceInfo): Promise<string> {
  return withClient(info.settings.settings.database, async (client) => {
    const row = (await client.query<{ n: string; top: string }>('SELECT count(*) AS n, coalesce(max(id), 0) AS top FROM django_migrations')).rows[0];
    return `${row.n}/${row.top}`;
  }, { connectionTimeoutMillis: 3000, query_timeout: 3000 });
}

export async function planKey(info: InstanceInfo): Promise<string> {
  const commit = 'error' in info.git ? 'no-git' : info.git.commit;
  const parts = [commit, info.layout.python, ...fileStamps(info), await appliedStamp(info)];
  return crypto.createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 24);
}

/** Runs `manage.py migrate --plan` (no database change). */
export async function migratePlan(info: InstanceInfo): Promise<string[]> {
  const result = await execa(info.layout.python, [info.layout.managePy, 'migrate', '--plan'], {
    cwd: info.layout.root,
    reject: false,
    timeout: 60_000,
    env: { PYTHONDONTWRITEBYTECODE: '1' },
  });
  if (result.exitCode !== 0) {
    throw new Error(`manage.py migrate --plan failed: ${`${result.stderr}`.trim().split('\n').at(-1) ?? oneLine(result.shortMessage)}`);
  }
  return parsePlan(`${result.stdout}`);
}

const cacheFile = (root: string): string => path.join(instanceStatePath(root, 'cache'), 'migrate-plan.json');

/** The pending migrations, from the kept answer when nothing it depends on changed. */
export async function pendingMigrations(info: InstanceInfo, run: (info: InstanceInfo) => Promise<string[]> = migratePlan): Promise<MigrationPlan> {
  const key = await planKey(info);
  const file = cacheFile(info.layout.root);
  try {
    const kept = JSON.parse(fs.readFileSync(file, 'utf8')) as MigrationPlan;
    if (kept.key === key) return kept;
  } catch {
    // nothing kept yet
  }
  const plan: MigrationPlan = { key, pending: await run(info), checkedAt: new Date().toISOString() };
  await writeFileAtomic(file, `${JSON.stringify(plan)}\n`, { mode: 0o600 });
  return plan;
}
