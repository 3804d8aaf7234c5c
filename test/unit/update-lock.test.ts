import { execa } from 'execa';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireUpdateLock, updateLockPath } from '../../src/tasks/update/lock.js';
import { commandForOthers } from '../helpers/as-user.js';

/** The update lock lives in the checkout's git folder and holds whoever runs catmaid-tui: another HOME, another user. */
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'update-lock-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function checkout(name: string): string {
  const root = path.join(tmp, name);
  fs.mkdirSync(path.join(root, '.git'), { recursive: true });
  const mysite = path.join(root, 'django', 'projects', 'mysite');
  fs.mkdirSync(mysite, { recursive: true });
  fs.writeFileSync(path.join(root, 'django', 'projects', 'manage.py'), '');
  fs.writeFileSync(path.join(mysite, 'settings.py'), "DATABASES = {'default': {'NAME': 'catmaid', 'USER': 'catmaid', 'HOST': '127.0.0.1', 'PORT': '1'}}\n");
  fs.chmodSync(tmp, 0o755);
  return root;
}

describe('the update lock of an instance', () => {
  it('is a file in the git folder; a second taker is refused until it is released', () => {
    const root = checkout('a');
    const release = acquireUpdateLock(root);
    expect(updateLockPath(root)).toBe(path.join(root, '.git', 'catmaid-tui-update.lock'));
    expect(fs.statSync(updateLockPath(root)).mode & 0o777).toBe(0o644);
    expect(() => acquireUpdateLock(root)).toThrow(/already in progress \(pid \d+, user \S+ on \S+, since /);
    release();
    expect(fs.existsSync(updateLockPath(root))).toBe(false);
    acquireUpdateLock(root)();
  });

  it('takes over a lock whose process is gone, or whose pid now belongs to another process', async () => {
    const root = checkout('b');
    const gone = execa('true');
    await gone;
    fs.writeFileSync(updateLockPath(root), JSON.stringify({ pid: gone.pid, started: '1', user: 'x', host: 'h', since: 's' }));
    acquireUpdateLock(root)();
    // Our own pid, but a process started at another time: the pid was reused.
    fs.writeFileSync(updateLockPath(root), JSON.stringify({ pid: process.pid, started: '1', user: 'x', host: 'h', since: 's' }));
    const release = acquireUpdateLock(root);
    expect(JSON.parse(fs.readFileSync(updateLockPath(root), 'utf8')).started).not.toBe('1');
    release();
  });

  it('release leaves a lock that another process took meanwhile', () => {
    const root = checkout('c');
    const release = acquireUpdateLock(root);
    const theirs = JSON.stringify({ pid: 1, started: null, user: 'y', host: 'h', since: 's' });
    fs.writeFileSync(updateLockPath(root), theirs);
    release();
    expect(fs.readFileSync(updateLockPath(root), 'utf8')).toBe(theirs);
  });

  it.runIf(process.getuid?.() === 0)('holds against another user: nobody is refused while root updates', async () => {
    const root = checkout('d');
    const release = acquireUpdateLock(root);
    try {
      const home = path.join(tmp, 'nobody-home');
      fs.mkdirSync(home, { recursive: true });
      fs.chownSync(home, 65534, 65534);
      const run = await execa('runuser', ['-u', 'nobody', '--', ...commandForOthers(), '-C', root, 'update', '--rollback', '--yes'], {
        reject: false,
        env: { HOME: home, XDG_STATE_HOME: path.join(home, 's'), XDG_DATA_HOME: path.join(home, 'd'), XDG_CONFIG_HOME: path.join(home, 'c'), NO_COLOR: '1' },
      });
      expect(run.stderr).toContain(`an update of ${root} is already in progress (pid ${process.pid}, user root`);
      expect(run.exitCode).toBe(3);
    } finally {
      release();
    }
  });
});
