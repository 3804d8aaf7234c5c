import fs from 'node:fs/promises';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { registerSsl } from '../../src/commands/ssl.js';
import { EXIT } from '../../src/tasks/errors.js';
import { freePort, makeCaAndLeaf, privateNginx, tempDir, type PrivateNginx } from './ssl-fixtures.js';

const NAME = 'catmaid.test';
let dir: string;
let nginx: PrivateNginx;
let site: string;
let out: string;
let portArgs: string[];

/** The site an admin had before HTTPS: plain http, a tiles folder, proxying to Django. */
const OLD_SITE = `server {
    listen 127.0.0.1:8089;
    server_name ${NAME};
    client_max_body_size 50m;
    location /tiles/ {
        alias /srv/tiles/;
    }
    location / {
        proxy_pass http://127.0.0.1:8000;
    }
}
`;

async function ssl(...args: string[]): Promise<void> {
  const program = new Command('catmaid-tui').exitOverride().configureOutput({ writeErr: () => undefined });
  registerSsl(program);
  await program.parseAsync(['ssl', '--server-name', NAME, '--nginx-conf', nginx.conf, '--nginx-prefix', nginx.prefix, ...portArgs, ...args], { from: 'user' });
}

const listing = async () => (await fs.readdir(path.dirname(site))).sort();

beforeAll(async () => {
  dir = await tempDir('ssl-cmd');
  process.env.XDG_CONFIG_HOME = path.join(dir, 'config');
  process.env.XDG_DATA_HOME = path.join(dir, 'data');
  process.env.XDG_STATE_HOME = path.join(dir, 'state');
  delete process.env.CATMAID_DIR;
  await fs.mkdir(path.join(dir, 'sites'));
  site = path.join(dir, 'sites', 'catmaid.conf');
  await makeCaAndLeaf(dir, NAME);
  await fs.writeFile(path.join(dir, 'chain.crt'), (await fs.readFile(path.join(dir, 'leaf.crt'), 'utf8')) + (await fs.readFile(path.join(dir, 'ca.crt'), 'utf8')));
  nginx = await privateNginx(dir, site);
  portArgs = ['--listen', '127.0.0.1', '--https-port', String(await freePort()), '--http-port', String(await freePort())];
});

beforeEach(async () => {
  await fs.writeFile(site, OLD_SITE);
  for (const f of await listing()) if (f !== 'catmaid.conf') await fs.rm(path.join(dir, 'sites', f));
  out = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    out += chunk.toString();
    return true;
  });
});

afterAll(async () => {
  vi.restoreAllMocks();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('catmaid-tui ssl', () => {
  it('without --write finds the site in nginx -T, prints the configuration and a diff, and changes nothing', async () => {
    await ssl('--cert', path.join(dir, 'chain.crt'), '--key', path.join(dir, 'leaf.key'));
    expect(out).toContain(`Site file: ${site} (holds the CATMAID server block in \`nginx -T\`)`);
    expect(out).toContain('Locations that reach Django:\n  + location / (proxy → http://127.0.0.1:8000): gets proxy_set_header Host $host; proxy_set_header X-Forwarded-Proto $scheme; (at location /)');
    expect(out).toMatch(/nginx 1\.\d+\.\d+ .*HTTP\/2 with/);
    expect(out).toContain('  ✓ the key belongs to the certificate');
    expect(out).toContain('HSTS off. Add --hsts once HTTPS works');
    expect(out).toContain('+    ssl_protocols TLSv1.2 TLSv1.3;');
    expect(out).toContain('-    listen 127.0.0.1:8089;');
    expect(out).toContain('    # Kept from the previous configuration:\n    client_max_body_size 50m;\n    location /tiles/ {');
    expect(out).toContain('+        proxy_set_header X-Forwarded-Proto $scheme;');
    expect(out).not.toMatch(/location \/ \{[^}]*location \/ \{/);
    expect(out).toContain('Dry run: nothing was written.');
    expect(await fs.readFile(site, 'utf8')).toBe(OLD_SITE);
    expect(await listing()).toEqual(['catmaid.conf']);
  });

  it('--json gives the plan as data', async () => {
    await ssl('--cert', path.join(dir, 'chain.crt'), '--key', path.join(dir, 'leaf.key'), '--hsts', '--json');
    const json = JSON.parse(out);
    expect(json).toMatchObject({ written: false, siteFile: site, siteFileSource: 'found', djangoLocations: [{ where: 'location /', kind: 'proxy', action: 'added' }], hsts: { enabled: true } });
    expect(json.certificate.checks.every((c: { level: string }) => c.level === 'ok')).toBe(true);
    expect(json.config).toContain('Strict-Transport-Security');
    expect(json.diff).toContain('+++ ');
  });

  it('refuses a key that is not the certificate\'s with exit 3, before writing anything', async () => {
    const before = await fs.stat(site);
    const err = await ssl('--cert', path.join(dir, 'chain.crt'), '--key', path.join(dir, 'ca.key'), '--write', '--yes').catch((e: unknown) => e);
    expect(err).toMatchObject({ exitCode: EXIT.refused, message: expect.stringMatching(/key does not belong to the certificate/) });
    expect(await fs.readFile(site, 'utf8')).toBe(OLD_SITE);
    expect((await fs.stat(site)).mtimeMs).toBe(before.mtimeMs);
    expect(await listing()).toEqual(['catmaid.conf']);
  });

  it('--write --self-signed --yes makes the key (0600), writes the site, keeps a copy out of nginx\'s reach, says how to restart', async () => {
    const files = { certificate: path.join(dir, 'self', 'c.crt'), key: path.join(dir, 'self', 'c.key') };
    await ssl('--self-signed', '--cert', files.certificate, '--key', files.key, '--write', '--yes');
    expect((await fs.stat(files.key)).mode & 0o777).toBe(0o600);
    const written = await fs.readFile(site, 'utf8');
    expect(written).toContain(`ssl_certificate ${files.certificate};`);
    expect(written).toContain('location /tiles/ {');
    // The copy is in catmaid-tui's state folder, never a .bak beside the file (nginx would load one in sites-enabled).
    expect(await listing()).toEqual(['catmaid.conf']);
    const copy = /the old one is kept as (\S+)\./.exec(out)?.[1] ?? '';
    expect(copy.startsWith(path.join(dir, 'state', 'catmaid-tui', 'copies', 'catmaid.conf.'))).toBe(true);
    expect(await fs.readFile(copy, 'utf8')).toBe(OLD_SITE);
    expect((await fs.stat(copy)).mode & 0o777).toBe(0o600);
    expect(out).toMatch(/nginx -t: .*test is successful/);
    expect(out).toContain(`New certificate files need a restart of nginx, not a reload (CATMAID's administration manual): ${nginx.command.binary} -c ${nginx.conf}`);
    expect(out).toMatch(/log: .*-ssl\.log/);
  });

  it('--write without --yes and without a terminal is refused (exit 3) before anything is written', async () => {
    await expect(ssl('--self-signed', '--write')).rejects.toMatchObject({ exitCode: EXIT.refused });
    expect(await fs.readFile(site, 'utf8')).toBe(OLD_SITE);
  });

  it('rejects --restart without --write (exit 2) and without a terminal or --yes (exit 3), writing nothing', async () => {
    const cert = ['--cert', path.join(dir, 'chain.crt'), '--key', path.join(dir, 'leaf.key')];
    await expect(ssl(...cert, '--restart')).rejects.toMatchObject({ exitCode: EXIT.usage });
    await expect(ssl(...cert, '--restart', '--write')).rejects.toMatchObject({ exitCode: EXIT.refused });
    await expect(ssl(...cert, '--acme')).rejects.toMatchObject({ exitCode: EXIT.usage, message: expect.stringMatching(/--email/) });
    await expect(ssl('--acme', '--email', 'x@example.org\nyy', '--self-signed')).rejects.toMatchObject({ exitCode: EXIT.usage });
    await expect(ssl('--key', path.join(dir, 'leaf.key'))).rejects.toMatchObject({ exitCode: EXIT.usage });
    expect(await fs.readFile(site, 'utf8')).toBe(OLD_SITE);
  });
});
