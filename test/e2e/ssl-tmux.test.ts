import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateHome } from '../helpers/cli.js';
import { createTestSandbox, type TestSandboxWithServices } from '../helpers/sandbox.js';
import { startInTmux, type TmuxSession } from '../helpers/tmux.js';
import { openssl } from '../integration/ssl-fixtures.js';

/**
 * An admin in a real terminal, on the sandbox with services: opens "SSL setup", gives the public name and a
 * certificate from files (one that runs out in ten days), has ALLOWED_HOSTS get the name, reads the plan, applies,
 * restarts the sandbox's nginx, probes the live site; back on Home (and after starting again) the expiry shows.
 * Needs `npx tsup` first.
 */
const NAME = 'catmaid.test';
let sb: TestSandboxWithServices;
let work: string;
let env: Record<string, string>;
let tmux: TmuxSession | undefined;

beforeAll(async () => {
  sb = await createTestSandbox({ services: true });
  work = fs.mkdtempSync(path.join(sb.dir, 'ssl-'));
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '30', '-subj', '/CN=Test CA', '-keyout', 'ca.key', '-out', 'ca.crt'], work);
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-subj', `/CN=${NAME}`, '-keyout', 'leaf.key', '-out', 'leaf.csr'], work);
  fs.writeFileSync(path.join(work, 'ext.cnf'), `subjectAltName=DNS:${NAME}\n`);
  await openssl(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '10', '-extfile', 'ext.cnf', '-out', 'leaf.crt'], work);
  fs.writeFileSync(path.join(work, 'chain.crt'), fs.readFileSync(path.join(work, 'leaf.crt'), 'utf8') + fs.readFileSync(path.join(work, 'ca.crt'), 'utf8'));
  fs.chmodSync(path.join(work, 'leaf.key'), 0o600);
  env = { NO_COLOR: '1', ...privateHome(work) };
}, 300_000);
afterAll(async () => {
  await tmux?.kill();
  await sb?.destroy();
});

/** Down until the field is the focused one (each move waits for its frame). */
async function focus(label: string): Promise<void> {
  for (let i = 0; i < 12 && !(await tmux!.screen()).includes(`› ${label}`); i += 1) {
    await tmux!.keys('Down');
    await new Promise((resolve) => setTimeout(resolve, 150));
  }
  await tmux!.waitFor(`› ${label}`);
}

/** Enter opens the field for typing (its cursor ▏ shows), the text goes in, Enter keeps it. */
async function field(keys: string, text: string, erase = 0): Promise<void> {
  await tmux!.keys('Enter');
  await tmux!.waitFor('▏');
  // One key at a time: a run of them arrives as one chunk, which reads as pasted text.
  for (let i = 0; i < erase; i += 1) {
    await tmux!.keys('BSpace');
    await new Promise((resolve) => setTimeout(resolve, 30));
  }
  await tmux!.type(keys);
  await tmux!.waitFor(text);
  await tmux!.keys('Enter');
}

describe('SSL setup in the wizard', () => {
  it('plans, applies, restarts, probes; Home shows when the certificate expires', async () => {
    tmux = await startInTmux(['-C', sb.root], { env });
    await tmux.waitFor('Actions', 30_000);
    for (let i = 0; i < 12 && !/› SSL setup/.test(await tmux.screen()); i += 1) {
      await tmux.keys('Down');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(await tmux.waitFor(/› SSL setup\s+no certificate/, 30_000)).toBeTruthy();
    await tmux.keys('Enter');
    await tmux.waitFor('Server name');
    // The sandbox answers to 127.0.0.1; the public name is typed over it.
    await field(NAME, `${NAME}▏`, 12);
    await tmux.waitFor(`› Server name       ${NAME}`);
    await focus('Certificate  ');
    await tmux.keys('Space');
    await tmux.waitFor('‹ from files ›');
    await focus('Certificate file');
    await field(path.join(work, 'chain.crt'), 'chain.crt▏');
    await focus('Key file');
    await field(path.join(work, 'leaf.key'), 'leaf.key▏');
    await focus('ALLOWED_HOSTS');
    await tmux.keys('Space');
    await tmux.waitFor(/ALLOWED_HOSTS\s+\[x\] add the server name when missing/);
    await tmux.keys('p');
    let screen = await tmux.waitFor('Checks before writing', 60_000);
    expect(screen).toContain('Django locations: 2 found, 2 pass the scheme already, 0 get it');
    expect(screen).toContain('! certificate: 3 ok · 1 warning(s) · 0 failed');
    expect(screen).toMatch(/Site file: \S+sites-enabled\/catmaid \(holds the CATMAID/);

    await tmux.keys('a');
    await tmux.waitFor('then set the SSL block in settings.py?');
    await tmux.keys('y');
    screen = await tmux.waitFor(`Applied for ${NAME}`, 120_000);
    expect(screen).toContain('✓ nginx -t:');
    const site = fs.readFileSync(sb.services.nginx.siteFile, 'utf8');
    expect(site).toContain(`ssl_certificate ${path.join(work, 'chain.crt')};`);
    expect(fs.readFileSync(path.join(sb.root, 'django', 'projects', 'mysite', 'settings.py'), 'utf8')).toContain("ALLOWED_HOSTS += ('catmaid.test',)");

    await tmux.keys('r');
    await tmux.waitFor('Restart nginx now');
    await tmux.keys('y');
    await tmux.waitFor('✓ nginx restarted', 30_000);
    await tmux.keys('p');
    screen = await tmux.waitFor(/Probe of https:\/\/catmaid\.test:\d+\/catmaid\/ · grade T/, 60_000);
    expect(screen).toContain('✓ TLS 1.0: refused');
    expect(screen).toContain('✓ TLS 1.1: refused');
    expect(screen).toMatch(/✓ TLS 1\.2: accepted, cipher TLS_ECDHE_RSA_WITH_/);

    await tmux.keys('Escape');
    screen = await tmux.waitFor(/SSL setup\s+! 9 d · by hand/, 30_000);
    await tmux.keys('q');
    expect(await tmux.waitForExit()).toEqual({ status: 0, alternate: false });

    // Started again: Home's notices name the certificate that runs out.
    tmux = await startInTmux(['-C', sb.root], { env });
    screen = await tmux.waitFor(/Attention  ! certificate expires in 9 days: catmaid/, 30_000);
    expect(screen).toMatch(/SSL setup\s+! 9 d · by hand/);
    await tmux.keys('q');
    expect(await tmux.waitForExit()).toEqual({ status: 0, alternate: false });
  }, 300_000);
});
