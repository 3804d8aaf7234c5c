import fs from 'node:fs/promises';
import path from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sslServices, type SslServices } from '../../src/hooks/useSsl.js';
import { Ssl } from '../../src/screens/Ssl.js';
import { freePort, makeCaAndLeaf, privateNginx, tempDir, type PrivateNginx } from '../integration/ssl-fixtures.js';
import { fakeInfo, KEY as BASE_KEY, press, waitForFrame, waitForText, pressAndWait } from './helpers.js';

const KEY = { ...BASE_KEY, pgdn: '\x1b[6~' };

/**
 * The SSL screen against a private nginx (its own nginx.conf including one site file) and real certificates:
 * the admin fills the form, reads the plan, says No, then Yes, and sees what was written.
 */
const NAME = 'catmaid.test';
const OLD_SITE = `server {
    listen 127.0.0.1:8089;
    server_name ${NAME};
    location / {
        proxy_pass http://127.0.0.1:8000;
    }
}
`;

let dir: string;
let site: string;
let nginx: PrivateNginx;
let services: SslServices;
const info = fakeInfo({ settings: { ...fakeInfo().settings, settings: { ...fakeInfo().settings.settings, allowedHosts: [NAME] } } });

beforeAll(async () => {
  dir = await tempDir('ssl-screen');
  process.env.XDG_DATA_HOME = path.join(dir, 'data');
  process.env.XDG_STATE_HOME = path.join(dir, 'state');
  await fs.mkdir(path.join(dir, 'sites'));
  site = path.join(dir, 'sites', 'catmaid.conf');
  await makeCaAndLeaf(dir, NAME);
  nginx = await privateNginx(dir, site);
  services = {
    ...sslServices,
    nginx: () => nginx.command,
    // The fake instance has no Django to ask; nginx serves no static folders then.
    inputExtras: { listen: { address: '127.0.0.1', httpsPort: await freePort(), httpPort: await freePort() }, cert: path.join(dir, 'self', 'c.crt'), key: path.join(dir, 'self', 'c.key') },
    logDir: path.join(dir, 'logs'),
  };
});
beforeEach(async () => {
  await fs.writeFile(site, OLD_SITE);
  for (const f of await fs.readdir(path.join(dir, 'sites'))) if (f !== 'catmaid.conf') await fs.rm(path.join(dir, 'sites', f));
});
afterEach(() => cleanup());
afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const screen = (overrides: Partial<SslServices> = {}) =>
  render(<Ssl info={info} active width={100} height={28} services={{ ...services, ...overrides }} />);

/** Certificate from files (space switches away from Let's Encrypt), the paths into the form, then p for the plan. */
async function fillFiles(app: ReturnType<typeof screen>, cert: string, key: string): Promise<void> {
  await waitForText(app, 'Server name');
  await press(app, KEY.down, ' ');
  await waitForText(app, '‹ from files ›');
  // The key path arrives with its Enter in one chunk, as when typed fast or pasted.
  await press(app, KEY.down, KEY.enter, cert, KEY.enter, KEY.down, KEY.enter, `${key}\r`);
  await waitForText(app, key);
  await press(app, 'p');
}

describe('the SSL screen', () => {
  it('shows the plan with its checks and diff, writes nothing on No, and writes the site (a copy kept in the state folder) on Yes', async () => {
    const app = screen();
    expect(await waitForText(app, 'Server name')).toContain(`› Server name       ${NAME}`);
    await fillFiles(app, path.join(dir, 'leaf.crt'), path.join(dir, 'leaf.key'));
    let frame = await waitForText(app, 'Checks before writing');
    expect(frame).toContain(`Plan for ${NAME} · nothing written yet`);
    expect(frame).toContain('✓ certificate: 4 ok · 0 warning(s) · 0 failed');
    expect(frame).toContain('› Django locations: 1 found, 0 pass the scheme already, 1 get it');
    expect(frame).toContain('› nginx -t runs right after writing; if it fails the old site file is put back');
    expect(frame).toMatch(/nginx 1\.\d+\.\d+ .*HTTP\/2 with/);
    expect(frame).toContain(`Site file: ${site} (holds the CATMAID server block`);
    expect(frame).toMatch(/lines 1–\d+ of \d+ · ↓ more/);

    // Page through the diff as the admin would: the old plain-http listen goes, TLS 1.2/1.3 come.
    const seen: string[] = [];
    for (let page = 0; page < 8 && !seen.join('\n').includes('lines 8'); page += 1) {
      seen.push(app.lastFrame() ?? '');
      await press(app, KEY.pgdn);
    }
    expect(seen.join('\n')).toContain('-    listen 127.0.0.1:8089;');
    expect(seen.join('\n')).toContain('+    ssl_protocols TLSv1.2 TLSv1.3;');
    await press(app, 'G');
    expect(await waitForFrame(app, (f) => /lines \d+–(\d+) of \1\n/.test(f))).toContain('proxy_set_header X-Forwarded-Proto $scheme;');

    await press(app, 'a');
    await waitForText(app, 'Yes, write it');
    await press(app, KEY.enter);
    frame = await waitForFrame(app, (f) => !f.includes('Yes, write it'));
    expect(await fs.readFile(site, 'utf8')).toBe(OLD_SITE);

    await press(app, 'a');
    await waitForText(app, 'Yes, write it');
    await press(app, 'y');
    frame = await waitForText(app, `Applied for ${NAME}`);
    expect(frame).toContain('✓ nginx -t:');
    expect(frame.replace(/\n\s+/g, '')).toMatch(/Wrote \S*catmaid\.conf; the old one is kept as\S*\/state\/catmaid-tui\/instances\/\S+\/copies\/catmaid\.conf\./);
    expect(frame).toContain("New certificate files need a restart of nginx, not a reload (CATMAID's administration manual):");
    expect(frame).toMatch(/log: .*ssl\.log/);
    const written = await fs.readFile(site, 'utf8');
    expect(written).toContain(`ssl_certificate ${path.join(dir, 'leaf.crt')};`);
    expect(written).toContain('X-Forwarded-Proto $scheme');
    expect(await fs.readdir(path.join(dir, 'sites'))).toEqual(['catmaid.conf']);
  });

  it('refuses to apply with a key that is not the certificate\'s: a is not offered and nothing is written', async () => {
    const app = screen();
    await fillFiles(app, path.join(dir, 'leaf.crt'), path.join(dir, 'ca.key'));
    const frame = await waitForText(app, 'Checks before writing');
    expect(frame).toContain('✗ certificate: 3 ok · 0 warning(s) · 1 failed');
    expect(frame).toContain('✗ applying is refused: certificate check failed: the key does not belong to the certificate');
    expect(await pressAndWait(app, 'a')).not.toContain('Yes, write it');
    expect(await fs.readFile(site, 'utf8')).toBe(OLD_SITE);
  });

  it('says so when nginx is not installed, and plans nothing', async () => {
    const app = screen({ nginx: () => undefined });
    expect(await waitForText(app, 'nginx not found')).toContain('✗ nginx not found (not on PATH, nor in /usr/sbin): install it (apt install nginx)');
    expect(await pressAndWait(app, 'p')).not.toContain('Checks before writing');
    expect(await fs.readFile(site, 'utf8')).toBe(OLD_SITE);
  });

  it('says which field to fill when nginx has no CATMAID server block, and writes nothing', async () => {
    await fs.writeFile(site, 'server {\n    listen 127.0.0.1:8089;\n    server_name other.example.org;\n}\n');
    const app = screen();
    await waitForText(app, 'Server name');
    await press(app, KEY.down, ' ', ' ');
    await waitForText(app, 'self-signed (for testing)');
    await press(app, 'p');
    const frame = await waitForText(app, 'no CATMAID server block');
    expect(frame).toContain('✗ no CATMAID server block in the given nginx configuration (fill in the Site file field)');
    expect(await fs.readFile(site, 'utf8')).toContain('other.example.org');
    expect(await fs.readdir(path.join(dir, 'sites'))).toEqual(['catmaid.conf']);
    await expect(fs.stat(path.join(dir, 'self'))).rejects.toThrow();
  });

  it('the HSTS toggle states its risk either way', async () => {
    const app = screen();
    expect(await waitForText(app, 'HSTS off.')).toContain('users are locked out');
    await press(app, ...Array(5).fill(KEY.down), ' ');
    const frame = await waitForText(app, '[x] on');
    expect(frame).toContain('! HSTS on (max-age=63072000)');
    expect(frame).toContain('Keep certificate renewal automatic.');
  });
});
