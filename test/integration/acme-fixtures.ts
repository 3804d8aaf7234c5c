import fs from 'node:fs/promises';
import https from 'node:https';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { freePort, makeCaAndLeaf } from './ssl-fixtures.js';

/**
 * A local ACME server: Debian's pebble, with pebble-challtestsrv answering its DNS questions with 127.0.0.1, so
 * names like catmaid.test validate against the test's nginx on `httpPort`. Validation is real (no
 * PEBBLE_VA_ALWAYS_VALID): pebble fetches the challenge file through nginx. Its own TLS certificate comes from a
 * CA made here, which only the test trusts (REQUESTS_CA_BUNDLE for certbot).
 */
export interface Pebble {
  /** The ACME directory, for certbot --server. */
  directory: string;
  /** The CA of pebble's own listener: certbot's REQUESTS_CA_BUNDLE. */
  listenerCa: string;
  /** The root that signs the certificates pebble issues (new each run), as PEM. */
  issuingRoot(): Promise<string>;
  stop(): Promise<void>;
}

function getPem(url: string, ca: Buffer): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    https.get(url, { ca, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    }).on('error', reject);
  });
}

export async function startPebble(dir: string, httpPort: number): Promise<Pebble> {
  const tlsDir = path.join(dir, 'pebble-tls');
  await fs.mkdir(tlsDir, { recursive: true });
  await makeCaAndLeaf(tlsDir, 'localhost');
  const [acme, management, tlsPort, dns, challManagement] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort()]);
  const config = path.join(dir, 'pebble-config.json');
  await fs.writeFile(config, JSON.stringify({
    pebble: {
      listenAddress: `127.0.0.1:${acme}`,
      managementListenAddress: `127.0.0.1:${management}`,
      certificate: path.join(tlsDir, 'leaf.crt'),
      privateKey: path.join(tlsDir, 'leaf.key'),
      httpPort,
      tlsPort,
      ocspResponderURL: '',
      externalAccountBindingRequired: false,
    },
  }));
  const children: ResultPromise[] = [];
  children.push(execa('pebble-challtestsrv', ['-dns01', `127.0.0.1:${dns}`, '-http01', '', '-https01', '', '-tlsalpn01', '', '-management', `127.0.0.1:${challManagement}`, '-defaultIPv4', '127.0.0.1', '-defaultIPv6', ''], { reject: false, stdio: 'ignore' }));
  // PEBBLE_VA_NOSLEEP only skips pebble's random wait before it validates; it still validates.
  children.push(execa('pebble', ['-config', config, '-dnsserver', `127.0.0.1:${dns}`], { reject: false, stdio: 'ignore', env: { PEBBLE_VA_NOSLEEP: '1', PEBBLE_WFE_NONCEREJECT: '0' } }));
  const ca = await fs.readFile(path.join(tlsDir, 'ca.crt'));
  const directory = `https://localhost:${acme}/dir`;
  for (let i = 0; ; i++) {
    const ok = await getPem(directory, ca).then((r) => r.status === 200, () => false);
    if (ok) break;
    if (i > 100) throw new Error('pebble did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    directory,
    listenerCa: path.join(tlsDir, 'ca.crt'),
    issuingRoot: async () => (await getPem(`https://localhost:${management}/roots/0`, ca)).body,
    stop: async () => {
      for (const child of children) child.kill('SIGTERM');
      await Promise.all(children);
    },
  };
}
