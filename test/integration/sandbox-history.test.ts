import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEV_RELEASE } from '../../src/sandbox/index.js';
import { readState } from '../../src/sandbox/state.js';
import { templateSandbox } from '../helpers/sandbox.js';

/**
 * The release notes in the sandbox's origin have the shapes of CATMAID's own, at the tags where CATMAID has them:
 * commands over several lines, fenced blocks, a release UPDATE.md still heads "Under development", a `stable`
 * tag ahead of the last release, and a release that needs a newer PostgreSQL than the one installed.
 */
let origin: string;
let pgVersion: number;
const git = async (...args: string[]): Promise<string> => (await execa('git', ['-C', origin, ...args])).stdout;
const show = (rev: string, file: string): Promise<string> => git('show', `${rev}:${file}`);

/** The `## heading` section of a Markdown file, up to the next `## `. */
function section(text: string, heading: string): string {
  const start = text.indexOf(`\n## ${heading}\n`);
  if (start < 0) return '';
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start + 1, end < 0 ? undefined : end);
}

beforeAll(async () => {
  const dir = await templateSandbox();
  origin = path.join(dir, 'origin.git');
  pgVersion = readState(dir).pgVersion;
});

describe("the origin's release notes", () => {
  it('at 2021.12.21: UPDATE.md still heads the release "Under development", with lines CHANGELOG.md lacks', async () => {
    const update = await show('2021.12.21', 'UPDATE.md');
    const changelog = await show('2021.12.21', 'CHANGELOG.md');
    expect(update.startsWith('Some CATMAID versions require manual changes to an existing setup.')).toBe(true);
    expect(update).not.toContain('## 2021.12.21');
    const notes = section(update, 'Under development');
    expect(notes).toContain('- Python 3.8 is now required. A virtualenv update is required.');
    expect(notes).toContain('  PostGIS first and run `ALTER EXTENSION postgis UPDATE;` in every database of\n');
    expect(notes).toContain("  ```\n  sudo -u postgres psql -d catmaid -c 'ALTER EXTENSION postgis UPDATE;'\n"
      + "  sudo -u postgres psql -d template1 -c 'ALTER EXTENSION postgis UPDATE;'\n  ```\n");
    expect(notes).toContain('- Rebuild the edge tables after updating:\n\n  manage.py catmaid_rebuild_edge_table\n');
    expect(changelog.startsWith('## 2021.12.21\n\nContributors: ')).toBe(true);
    const released = section(`\n${changelog}`, '2021.12.21');
    expect(released).toContain('- PostgreSQL 12 and PostGIS 3 are now required, see UPDATE.md.');
    expect(released).not.toContain('catmaid_rebuild_edge_table');
  });

  it('on master: UPDATE.md names the release, and earlier releases keep their multi-line commands and blocks', async () => {
    const update = await show('master', 'UPDATE.md');
    expect(section(update, '2021.12.21')).toContain('- Rebuild the edge tables after updating:');
    expect(update).not.toContain('## Under development');
    expect(section(update, '2019.06.20')).toContain(
      'install it as a Postgres superuser:\n\n  sudo -u postgres psql -d <catmaid-db> \\\n      -c \'CREATE EXTENSION pg_trgm;\'');
    expect(section(update, '2019.06.20')).toContain('  pip install -U pip\n  pip install -r requirements.txt\n  pip uninstall -y');
    const supervisord = section(update, '2020.02.15');
    expect(supervisord).toContain('  ```\n  [program:catmaid-celery]\n  directory = /home/catmaid/catmaid/django/projects/\n');
    expect(supervisord).toContain('  ```python\n  STATS_CACHE_SECONDS = 3600\n');
    expect(supervisord).toContain('- Python 3.6 and PostgreSQL 11 are now required.');
    expect((await show('master', 'CHANGELOG.md')).startsWith('## Under development\n')).toBe(true);
  });

  it('has `stable` as a lightweight tag ahead of the last release, so plain describe says stable-1-g…', async () => {
    expect(await git('cat-file', '-t', 'stable')).toBe('commit');
    expect(await git('cat-file', '-t', '2021.12.21')).toBe('tag');
    expect(await git('rev-parse', 'stable')).toBe(await git('rev-parse', 'master~1'));
    expect(await git('describe', '--tags', 'master')).toMatch(/^stable-1-g[0-9a-f]+$/);
    expect(await git('describe', '--tags', '--match', '[0-9]*', 'master')).toMatch(/^2021\.12\.21-2-g[0-9a-f]+$/);
  });

  it(`has a release on dev only that requires the PostgreSQL major after the installed one`, async () => {
    expect(await git('branch', '--contains', DEV_RELEASE, '--format=%(refname:short)')).toBe('dev');
    const notes = section(await show(DEV_RELEASE, 'UPDATE.md'), DEV_RELEASE);
    expect(notes).toContain(`- PostgreSQL ${pgVersion + 1} is now required.`);
    expect(notes).toContain(`  sudo pg_upgradecluster ${pgVersion} main\n`);
    expect(notes).toContain('- A virtualenv update is required.');
    expect((await show(DEV_RELEASE, 'CHANGELOG.md')).startsWith(`## ${DEV_RELEASE}\n`)).toBe(true);
  });
});
