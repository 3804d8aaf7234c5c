import fs from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchHttp, fetchHttps, type HttpAnswer } from '../../src/tasks/ssl/probe/http-checks.js';
import { DOCS_SITE, NAME, ROOT } from '../unit/ssl-site-fixtures.js';
import { freePort, privateNginx, runSsl, tempDir, type PrivateNginx } from './ssl-fixtures.js';

/**
 * CATMAID's documented nginx layout, served for real: nginx → uWSGI (Debian's, python3 plugin) over a unix socket
 * mounted at /catmaid, a websocket upstream, static aliases and the @maintenance page. The app echoes what Django
 * would read. Before `ssl`, a client's forged X-Forwarded-Proto reaches the app; after it, only the connection's
 * scheme does, in every location.
 */
const APP = `import json
def application(environ, start_response):
    keys = ('HTTP_X_FORWARDED_PROTO', 'HTTP_HOST', 'wsgi.url_scheme', 'SCRIPT_NAME', 'PATH_INFO')
    start_response('200 OK', [('Content-Type', 'application/json')])
    return [json.dumps({k: environ.get(k) for k in keys}).encode()]
`;

let dir: string;
let root: string;
let site: string;
let nginx: PrivateNginx;
let uwsgi: ResultPromise | undefined;
let daphne: http.Server;
let ports: { http: number; https: number; ws: number };
let caPem: string;

async function startUwsgi(): Promise<void> {
  const socket = path.join(dir, 'run', 'uwsgi.socket');
  uwsgi = execa('uwsgi', ['--plugin', 'python3', '--master', '--processes', '1', '--socket', socket, '--chmod-socket=666', '--mount', `/catmaid=${path.join(dir, 'app.py')}`, '--manage-script-name', '--die-on-term', '--disable-logging'], { reject: false, stdio: 'ignore' });
  for (let i = 0; i < 100 && !(await fs.stat(socket).then(() => true, () => false)); i++) await new Promise((r) => setTimeout(r, 50));
}

async function stopUwsgi(): Promise<void> {
  uwsgi?.kill('SIGTERM');
  await uwsgi;
  uwsgi = undefined;
}

const json = (answer: HttpAnswer & { body?: string }) => JSON.parse(answer.body ?? '{}') as Record<string, string>;

/** GET with the body, through nginx, on the https (or http) port, with a forged X-Forwarded-Proto. */
function get(scheme: 'http' | 'https', urlPath: string, forged: string): Promise<HttpAnswer & { body: string }> {
  return new Promise((resolve, reject) => {
    const port = scheme === 'https' ? ports.https : ports.http;
    const options = { host: '127.0.0.1', port, path: urlPath, headers: { host: `${NAME}:${port}`, 'x-forwarded-proto': forged }, servername: NAME, ca: [caPem], agent: false };
    const req = (scheme === 'https' ? https : http).get(options, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ ok: true, status: res.statusCode, location: res.headers.location, hsts: res.headers['strict-transport-security'] as string | undefined, body }));
    });
    req.on('error', reject);
  });
}

beforeAll(async () => {
  dir = await tempDir('ssl-layout');
  await fs.chmod(dir, 0o755);
  root = path.join(dir, 'catmaid');
  await fs.mkdir(path.join(root, 'django', 'static'), { recursive: true });
  await fs.mkdir(path.join(root, 'django', 'files'), { recursive: true });
  await fs.mkdir(path.join(dir, 'run'));
  await fs.mkdir(path.join(dir, 'public_html'));
  await fs.writeFile(path.join(root, 'django', 'static', 'catmaid.css'), 'body {}\n');
  await fs.writeFile(path.join(dir, 'public_html', '502.html'), '<p>CATMAID is being updated</p>\n');
  await fs.writeFile(path.join(dir, 'app.py'), APP);
  ports = { http: await freePort(), https: await freePort(), ws: await freePort() };
  daphne = http.createServer((req, res) => res.end(JSON.stringify({ proto: req.headers['x-forwarded-proto'], host: req.headers.host, url: req.url })));
  await new Promise<void>((resolve) => daphne.listen(ports.ws, '127.0.0.1', resolve));
  site = path.join(dir, 'sites', 'catmaid');
  await fs.mkdir(path.dirname(site));
  await fs.writeFile(
    site,
    DOCS_SITE.replaceAll(ROOT, root)
      .replace('unix:/var/run/catmaid/daphne.sock', `127.0.0.1:${ports.ws}`)
      .replace('unix:///var/run/catmaid/uwsgi.socket', `unix://${path.join(dir, 'run', 'uwsgi.socket')}`)
      .replace('/home/catmaid/public_html', path.join(dir, 'public_html'))
      .replace('listen 80;\n    listen [::]:80;', `listen 127.0.0.1:${ports.http};`),
  );
  nginx = await privateNginx(dir, site);
  await startUwsgi();
  await nginx.start();
  // ssl runs in this process: the admin's own config (a demo sandbox registered there) must not be read.
  process.env.XDG_STATE_HOME = path.join(dir, 'state');
  process.env.XDG_CONFIG_HOME = path.join(dir, 'config');
  process.env.XDG_DATA_HOME = path.join(dir, 'data');
  delete process.env.CATMAID_DIR;
});

afterAll(async () => {
  await nginx?.stop();
  await stopUwsgi();
  await new Promise((resolve) => daphne?.close(resolve));
  await fs.rm(dir, { recursive: true, force: true });
});

describe("ssl on CATMAID's documented layout: uWSGI at /catmaid/, websockets, static, @maintenance", () => {
  it('before: plain http, and a client that claims https is believed, by uWSGI itself too (wsgi.url_scheme)', async () => {
    const seen = json(await get('http', '/catmaid/project/1', 'https'));
    expect(seen).toMatchObject({ HTTP_X_FORWARDED_PROTO: 'https', SCRIPT_NAME: '/catmaid', PATH_INFO: '/project/1', 'wsgi.url_scheme': 'https' });
  });

  it('after ssl --write and a restart: every Django location tells the scheme of the connection, whatever the client sends', async () => {
    const cert = path.join(dir, 'tls', 'c.crt');
    const out = await runSsl(
      ['--server-name', NAME, '--self-signed', '--cert', cert, '--key', path.join(dir, 'tls', 'c.key'), '--hsts', '--site-file', site,
        '--static-url', '/catmaid/static/', '--static-root', path.join(root, 'django', 'static'),
        '--nginx-conf', nginx.conf, '--nginx-prefix', nginx.prefix, '--listen', '127.0.0.1', '--https-port', String(ports.https), '--http-port', String(ports.http), '--write', '--yes'],
    );
    caPem = await fs.readFile(cert, 'utf8');
    expect(out).toContain('  + location /catmaid/channels/ (proxy → http://catmaid-asgi/channels/): gets proxy_set_header X-Forwarded-Proto $scheme;');
    expect(out).toContain('  + location /catmaid/ (uwsgi → unix://');
    expect(out).not.toContain('Static: + location');
    await nginx.stop();
    await nginx.start();

    const viaUwsgi = await get('https', '/catmaid/project/1', 'http');
    expect(viaUwsgi.status).toBe(200);
    expect(json(viaUwsgi)).toMatchObject({ HTTP_X_FORWARDED_PROTO: 'https', 'wsgi.url_scheme': 'https', SCRIPT_NAME: '/catmaid', PATH_INFO: '/project/1' });
    // Debian's uwsgi_params passes nginx's $host (the name without the port) as HTTP_HOST.
    expect(json(viaUwsgi).HTTP_HOST.split(':')[0]).toBe(NAME);
    // /catmaid/ sets add_header lines of its own, which hide the server's: it carries the HSTS line itself.
    expect(viaUwsgi.hsts).toBe('max-age=63072000');
    expect(out).toContain('HSTS: + location /catmaid/ (it sets add_header lines of its own');
    expect(json(await get('https', '/catmaid/channels/updates', 'http'))).toMatchObject({ proto: 'https', host: NAME, url: '/channels/updates' });
  });

  it('plain http only redirects: a forged https never reaches Django', async () => {
    const plain = await fetchHttp({ host: NAME, connect: '127.0.0.1', port: ports.http, path: '/catmaid/project/1' });
    expect(plain).toMatchObject({ status: 301, location: `https://${NAME}:${ports.https}/catmaid/project/1` });
    expect((await get('http', '/catmaid/', 'https')).body).not.toContain('HTTP_X_FORWARDED_PROTO');
  });

  it('keeps serving static files from the alias, and the maintenance page while uWSGI is down', async () => {
    expect((await get('https', '/catmaid/static/catmaid.css', 'http')).body).toBe('body {}\n');
    await stopUwsgi();
    const down = await get('https', '/catmaid/', 'http');
    expect(down.status).toBe(502);
    expect(down.body).toContain('CATMAID is being updated');
    await startUwsgi();
    expect((await fetchHttps({ host: NAME, connect: '127.0.0.1', port: ports.https, path: '/catmaid/' }, [caPem])).status).toBe(200);
  });
});
