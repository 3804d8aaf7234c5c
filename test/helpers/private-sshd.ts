import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { freePort } from '../../src/sandbox/cluster.js';

/**
 * An sshd of the test's own on 127.0.0.1 and a free port, with its own host key and one authorized key made for
 * the test: nothing of the machine's ssh setup is used or changed. It runs unprivileged (as root's tests: as the
 * `postgres` user, which has a shell; else as the test's own user), so it needs no /run/sshd and lets in only
 * that user. The client side is an ssh config file (`-F`), as an admin would give with --ssh-config.
 */
export interface PrivateSshd {
  /** The Host alias in `sshConfig`. */
  host: string;
  user: string;
  sshConfig: string;
  /** A folder the login user may write: remote destinations go below it. */
  writable: string;
  stop(): Promise<void>;
}

const SSHD = '/usr/sbin/sshd';

export async function startPrivateSshd(): Promise<PrivateSshd | null> {
  if (!(await fs.stat(SSHD).catch(() => null))) return null;
  const root = process.getuid?.() === 0;
  const user = root ? 'postgres' : os.userInfo().username;
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'catmaid-tui-sshd-'));
  await fs.chmod(dir, 0o755);
  const keygen = (file: string) => execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'catmaid-tui test', '-f', file]);
  await keygen(path.join(dir, 'host_key'));
  await keygen(path.join(dir, 'client_key'));
  await fs.copyFile(path.join(dir, 'client_key.pub'), path.join(dir, 'authorized_keys'));
  const port = await freePort();
  await fs.writeFile(
    path.join(dir, 'sshd_config'),
    [`Port ${port}`, 'ListenAddress 127.0.0.1', `HostKey ${dir}/host_key`, `AuthorizedKeysFile ${dir}/authorized_keys`, `PidFile ${dir}/sshd.pid`,
      // Only its user: an unprivileged sshd cannot become another one, and how it fails after accepting the key
      // differs between OpenSSH versions (Debian 12's closes the connection: "Broken pipe"); refused up front,
      // any other user gets "Permission denied" from every version.
      `AllowUsers ${user}`, 'UsePAM no', 'StrictModes no', 'PasswordAuthentication no', 'KbdInteractiveAuthentication no', 'PubkeyAuthentication yes', ''].join('\n'),
  );
  const writable = path.join(dir, 'remote');
  await fs.mkdir(writable, { mode: 0o700 });
  if (root) {
    const { stdout } = await execa('id', ['-u', user]);
    for (const file of ['', 'host_key', 'authorized_keys', 'sshd_config', 'remote']) await fs.chown(path.join(dir, file), Number(stdout), Number(stdout));
  }
  const start = root ? ['runuser', ['-u', user, '--', SSHD]] as const : [SSHD, []] as const;
  const run = await execa(start[0], [...start[1], '-f', path.join(dir, 'sshd_config'), '-E', path.join(dir, 'sshd.log')], { reject: false });
  if (run.exitCode !== 0) return null;
  const hostKey = (await fs.readFile(path.join(dir, 'host_key.pub'), 'utf8')).trim();
  await fs.writeFile(path.join(dir, 'known_hosts'), `[127.0.0.1]:${port} ${hostKey}\n`);
  const sshConfig = path.join(dir, 'ssh_config');
  await fs.writeFile(
    sshConfig,
    ['Host catmaid-test', '  HostName 127.0.0.1', `  Port ${port}`, `  User ${user}`, `  IdentityFile ${dir}/client_key`, '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${dir}/known_hosts`, '  StrictHostKeyChecking yes', ''].join('\n'),
  );
  // Up when it answers: sshd writes its pid file once it listens.
  for (let i = 0; i < 50 && !(await fs.stat(path.join(dir, 'sshd.pid')).catch(() => null)); i += 1) await new Promise((r) => setTimeout(r, 100));
  return {
    host: 'catmaid-test',
    user,
    sshConfig,
    writable,
    stop: async () => {
      const pid = Number(await fs.readFile(path.join(dir, 'sshd.pid'), 'utf8').catch(() => '0'));
      if (pid > 0) process.kill(pid, 'SIGTERM');
      await fs.rm(dir, { recursive: true, force: true });
    },
  };
}
