import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { CliError, EXIT, RefusedError, oneLine } from '../errors.js';
import { dataHome } from '../paths.js';

export interface SelfSignedFiles {
  certificate: string;
  key: string;
}

/** Where `--self-signed` puts its files unless --cert/--key name them: /etc/nginx/ssl as root, else the data dir. */
export function defaultSelfSignedFiles(serverName: string, uid = os.userInfo().uid): SelfSignedFiles {
  const dir = uid === 0 ? '/etc/nginx/ssl' : path.join(dataHome(), 'catmaid-tui', 'ssl');
  return { certificate: path.join(dir, `${serverName}.crt`), key: path.join(dir, `${serverName}.key`) };
}

/**
 * Make a key (mode 0600 from the first byte on) and a self-signed certificate for `serverName` with the openssl
 * program. Existing files are never overwritten: they may be a real certificate.
 */
export async function createSelfSigned(serverName: string, files: SelfSignedFiles, days = 365): Promise<void> {
  for (const file of [files.certificate, files.key]) {
    if (await fs.stat(file).then(() => true, () => false)) {
      throw new RefusedError(`${file} exists; --self-signed does not overwrite certificates or keys`, 'remove it, or pass it with --cert/--key');
    }
  }
  await fs.mkdir(path.dirname(files.key), { recursive: true });
  await fs.mkdir(path.dirname(files.certificate), { recursive: true });
  // Created empty with 0600 first, so the key is never readable by others, whatever openssl does.
  await (await fs.open(files.key, 'wx', 0o600)).close();
  const san = /^\d+(\.\d+){3}$/.test(serverName) ? `IP:${serverName}` : `DNS:${serverName}`;
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', String(days)];
  args.push('-subj', `/CN=${serverName}`, '-addext', `subjectAltName=${san}`, '-keyout', files.key, '-out', files.certificate);
  const result = await execa('openssl', args, { reject: false, all: true });
  if (result.exitCode !== 0) {
    await fs.rm(files.key, { force: true });
    await fs.rm(files.certificate, { force: true });
    throw new CliError(`openssl could not make a self-signed certificate`, EXIT.failed, oneLine(result.all ?? ''));
  }
  await fs.chmod(files.key, 0o600);
}
