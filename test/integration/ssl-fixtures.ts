import fs from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { findNginx, type NginxCommand } from '../../src/tasks/ssl/nginx-version.js';

/** A throwaway folder; removed by the caller. */
export const tempDir = (prefix: string): Promise<string> => fs.mkdtemp(path.join(os.tmpdir(), `catmaid-tui-${prefix}-`));

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

export async function openssl(args: string[], cwd: string): Promise<void> {
  await execa('openssl', args, { cwd });
}

/** A CA and a server certificate it signed for `name`, written as ca.key/ca.crt/leaf.key/leaf.crt in `dir`. */
export async function makeCaAndLeaf(dir: string, name: string): Promise<void> {
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=Test CA', '-keyout', 'ca.key', '-out', 'ca.crt'], dir);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${name}`, '-keyout', 'leaf.key', '-out', 'leaf.csr'], dir);
  await fs.writeFile(path.join(dir, 'ext.cnf'), `subjectAltName=DNS:${name}\n`);
  await openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '30', '-extfile', 'ext.cnf', '-out', 'leaf.crt'], dir);
}

/**
 * A private nginx: its own prefix, main configuration and logs, including only `siteFile`. Nothing of the
 * system's nginx is read or touched.
 */
export interface PrivateNginx {
  prefix: string;
  conf: string;
  command: NginxCommand;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export async function privateNginx(prefix: string, siteFile: string): Promise<PrivateNginx> {
  await fs.chmod(prefix, 0o755);
  await fs.mkdir(path.join(prefix, 'logs'), { recursive: true });
  // The uwsgi variant includes uwsgi_params relative to the configuration's folder.
  await fs.copyFile('/etc/nginx/uwsgi_params', path.join(prefix, 'uwsgi_params')).catch(() => undefined);
  const conf = path.join(prefix, 'nginx.conf');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `    ${t}_temp_path ${prefix}/tmp-${t};`);
  await fs.writeFile(
    conf,
    [
      `pid ${prefix}/nginx.pid;`,
      `error_log ${prefix}/logs/error.log;`,
      'worker_processes 1;',
      'events { worker_connections 64; }',
      'http {',
      '    access_log off;',
      ...temp,
      `    include ${siteFile};`,
      '}',
      '',
    ].join('\n'),
  );
  const binary = findNginx();
  if (!binary) throw new Error('nginx is not installed');
  const command: NginxCommand = { binary, configArgs: ['-c', conf, '-p', prefix, '-e', path.join(prefix, 'logs', 'error.log')] };
  let child: ResultPromise | undefined;
  return {
    prefix,
    conf,
    command,
    async start() {
      child = execa(binary, [...command.configArgs, '-g', 'daemon off;'], { reject: false });
      const pidFile = path.join(prefix, 'nginx.pid');
      for (let i = 0; i < 100; i++) {
        if (await fs.stat(pidFile).then(() => true, () => false)) return;
        if (child.exitCode !== null) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      const log = await fs.readFile(path.join(prefix, 'logs', 'error.log'), 'utf8').catch(() => '');
      throw new Error(`private nginx did not start: ${log}`);
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      child.kill('SIGTERM');
      await child;
    },
  };
}

/** A python that can import Django (the system's on Debian, where python3-django is installed). */
export async function findDjangoPython(): Promise<string> {
  for (const candidate of ['/usr/bin/python3', 'python3']) {
    const result = await execa(candidate, ['-c', 'import django'], { reject: false });
    if (result.exitCode === 0) return candidate === 'python3' ? (await execa('python3', ['-c', 'import sys; print(sys.executable)'])).stdout.trim() : candidate;
  }
  throw new Error('no python with Django: apt install python3-django');
}

/** Run `catmaid-tui ssl …` in this process (no bundle needed) and return what it printed on stdout. */
export async function runSsl(args: string[]): Promise<string> {
  const { vi } = await import('vitest');
  const { Command } = await import('commander');
  const { registerSsl } = await import('../../src/commands/ssl.js');
  let out = '';
  const stdout = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
  const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    const program = new Command('catmaid-tui').exitOverride().configureOutput({ writeErr: () => undefined });
    registerSsl(program);
    await program.parseAsync(['ssl', ...args], { from: 'user' });
    return out;
  } finally {
    stdout.mockRestore();
    stderr.mockRestore();
  }
}
