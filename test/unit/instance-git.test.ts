import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkedRef, describeRevision, readGitState, splitOwnChanges, withoutOwnFiles } from '../../src/tasks/instance/git.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'instance-git-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function repo(): Promise<{ root: string; git: (...args: string[]) => Promise<string> }> {
  const root = fs.mkdtempSync(path.join(tmp, 'r-'));
  const git = async (...args: string[]) => (await execa('git', ['-C', root, '-c', 'user.name=t', '-c', 'user.email=t@t', ...args])).stdout;
  await git('init', '--quiet', '--initial-branch=master');
  await git('commit', '--quiet', '--allow-empty', '-m', 'one');
  return { root, git };
}

describe('the version of a checkout', () => {
  it('is described by release tags only: the moving stable tag ahead of the release never shows', async () => {
    const { root, git } = await repo();
    await git('tag', '2021.12.21');
    await git('commit', '--quiet', '--allow-empty', '-m', 'two');
    await git('tag', 'stable');
    expect(await git('describe', '--tags')).toBe('stable');
    expect(await describeRevision(root)).toMatch(/^2021\.12\.21-1-g[0-9a-f]{7}$/);
    expect((await readGitState(root)).describe).toMatch(/^2021\.12\.21-1-g/);
  });

  it('knows old release spellings, and falls back to the short commit without any release', async () => {
    const { root, git } = await repo();
    expect(await describeRevision(root)).toMatch(/^[0-9a-f]{7}$/);
    await git('tag', 'r2015.1.21');
    expect(await describeRevision(root)).toBe('r2015.1.21');
    await git('tag', '2015.9.11');
    expect(['2015.9.11', 'r2015.1.21']).toContain(await describeRevision(root));
  });
});

describe('files catmaid-tui wrote into the checkout', () => {
  const own = { extensionDir: 'django/staticext', extensionFiles: ['tracing.js'], settingsDir: 'django/projects/mysite' };

  it('are not local changes: listed extension files and old settings.py copies; anything else is', () => {
    const lines = ['?? django/staticext/tracing.js', '?? django/staticext/other.js', '?? django/projects/mysite/settings.py.bak-20261125140201', ' M django/staticext/tracing.js', '?? "django/staticext/we\\"ird.js"'];
    expect(splitOwnChanges(lines, own)).toEqual({
      changes: ['?? django/staticext/other.js', ' M django/staticext/tracing.js', '?? "django/staticext/we\\"ird.js"'],
      ownFiles: ['django/staticext/tracing.js', 'django/projects/mysite/settings.py.bak-20261125140201'],
    });
  });

  it('leave a checkout clean when they are all there is (real .gitignores do not ignore django/staticext/)', async () => {
    const { root } = await repo();
    fs.mkdirSync(path.join(root, 'django', 'staticext'), { recursive: true });
    fs.writeFileSync(path.join(root, 'django', 'staticext', 'tracing.js'), '');
    const state = await readGitState(root);
    expect(state.dirty).toBe(true);
    expect(withoutOwnFiles(state, own)).toMatchObject({ dirty: false, changes: [], ownFiles: ['django/staticext/tracing.js'] });
  });
});

describe('names given to git', () => {
  it('refuses anything git could read as an option', () => {
    expect(checkedRef('origin', '--remote')).toBe('origin');
    expect(checkedRef('2021.12.21', '--to')).toBe('2021.12.21');
    for (const bad of ['--upload-pack=touch /tmp/x', '-x', '', 'a b', 'a\nb']) expect(() => checkedRef(bad, '--remote')).toThrow(/not a git name/);
  });
});
