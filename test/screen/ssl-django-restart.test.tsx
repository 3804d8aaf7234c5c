import fs from 'node:fs/promises';
import path from 'node:path';
import { cleanup, render } from 'ink-testing-library';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sslServices, type SslServices } from '../../src/hooks/useSsl.js';
import { Ssl } from '../../src/screens/Ssl.js';
import { discoverInstance } from '../../src/tasks/instance/index.js';
import type { InstanceInfo } from '../../src/tasks/instance/types.js';
import { freePort, privateNginx, tempDir, type PrivateNginx } from '../integration/ssl-fixtures.js';
import { createTestSandbox, type TestSandbox } from '../helpers/sandbox.js';
import { KEY, press, waitForFrame, waitForText } from './helpers.js';

/**
 * The whole way on a real sandbox instance and a running private nginx: a self-signed certificate, the Django
 * block in settings.py with `check --deploy`, and the restart the screen asks about before doing it.
 */
const NAME = 'catmaid.test';
let sb: TestSandbox;
let info: InstanceInfo;
let dir: string;
let site: string;
let nginx: PrivateNginx;
let services: SslServices;
let restarts = 0;

beforeAll(async () => {
  sb = await createTestSandbox();
  info = await discoverInstance({ name: 'sandbox', root: sb.root, via: '--catmaid-dir' }, { database: false, processes: false });
  dir = await tempDir('ssl-django');
  process.env.XDG_DATA_HOME = path.join(dir, 'data');
  site = path.join(dir, 'catmaid.conf');
  await fs.writeFile(site, `server {\n    listen 127.0.0.1:${await freePort()};\n    server_name ${NAME};\n    location / {\n        proxy_pass http://127.0.0.1:8000;\n    }\n}\n`);
  nginx = await privateNginx(dir, site);
  await nginx.start();
  const ports = { httpsPort: await freePort(), httpPort: await freePort() };
  services = {
    ...sslServices,
    nginx: () => nginx.command,
    inputExtras: { listen: { address: '127.0.0.1', ...ports }, cert: path.join(dir, 'self', `${NAME}.crt`), key: path.join(dir, 'self', `${NAME}.key`) },
    logDir: path.join(dir, 'logs'),
    // This nginx belongs to the test (it holds the process): the restart stops and starts it the same way.
    restart: async () => {
      await nginx.stop();
      await nginx.start();
      restarts += 1;
    },
    probeExtras: { connect: '127.0.0.1' },
  };
});
afterEach(() => cleanup());
afterAll(async () => {
  await nginx?.stop();
  await sb?.destroy();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('the SSL screen on a sandbox instance', () => {
  it('makes a self-signed certificate, writes nginx and the Django block, lists check --deploy, restarts after Yes', async () => {
    const settingsPy = info.layout.settingsPy;
    const before = await fs.readFile(settingsPy, 'utf8');
    const app = render(<Ssl info={info} active width={100} height={30} services={services} />);
    await waitForText(app, 'Server name');
    // The sandbox's ALLOWED_HOSTS is not the public name: type it in.
    await press(app, KEY.enter, ...Array(30).fill(KEY.backspace), NAME, KEY.enter, KEY.down, ' ', ' ');
    let frame = await waitForText(app, 'self-signed (for testing)');
    expect(frame).toContain('Django settings   [x] on');
    await press(app, 'p');
    frame = await waitForFrame(app, (f) => f.includes('Checks before writing'), 30_000);
    expect(frame).toContain('› certificate: self-signed, made (key mode 0600) when applying, then checked');
    expect(frame).toContain('› Django settings: settings.py gets the SSL block (diff at the end)');
    await press(app, 'G');
    expect(await waitForText(app, "+SECURE_PROXY_SSL_HEADER = ('HTTP_X_FORWARDED_PROTO', 'https')")).toContain('--- settings.py ---');
    expect(await fs.readFile(settingsPy, 'utf8')).toBe(before);

    await press(app, 'a');
    await waitForText(app, 'then set the SSL block in settings.py?');
    await press(app, 'y');
    // Importing the settings and manage.py check --deploy take a few seconds of python.
    frame = await waitForFrame(app, (f) => f.includes(`Applied for ${NAME}`), 60_000);
    expect(frame).toContain('Made a self-signed key (mode 0600) and certificate.');
    expect(frame).toContain('✓ settings.py: SSL block written');
    expect(frame).toMatch(/manage\.py check --deploy/);
    expect((await fs.stat(path.join(dir, 'self', `${NAME}.key`))).mode & 0o777).toBe(0o600);
    const after = await fs.readFile(settingsPy, 'utf8');
    expect(after).toContain('SESSION_COOKIE_SECURE = True');
    expect(after.startsWith(before.trimEnd())).toBe(true);

    await press(app, 'r');
    await waitForText(app, `Restart nginx now (${nginx.command.binary}`);
    await press(app, KEY.enter);
    await waitForFrame(app, (f) => !f.includes('Restart nginx now'));
    expect(restarts).toBe(0);
    await press(app, 'r');
    await waitForText(app, 'Restart nginx now');
    await press(app, 'y');
    expect(await waitForText(app, '✓ nginx restarted')).toContain('the new certificate is in use');
    expect(restarts).toBe(1);
    expect(await fs.readFile(path.join(dir, 'nginx.pid'), 'utf8')).toMatch(/^\d+/);

    // The last step: probe the live site. A self-signed certificate is not trusted: grade T, and why.
    await press(app, 'p');
    frame = await waitForFrame(app, (f) => f.includes('Probe of'), 30_000);
    expect(frame).toContain(`Probe of https://${NAME}:${services.inputExtras?.listen?.httpsPort}/catmaid/ · grade T`);
    expect(frame).toContain('✓ TLS 1.0: refused');
    expect(frame).toContain('✓ TLS 1.1: refused');
    expect(frame).toMatch(/✓ TLS 1\.3: accepted, cipher TLS_/);
    expect(frame).toContain('✗ not trusted: DEPTH_ZERO_SELF_SIGNED_CERT');
  });
});
