import fs from 'node:fs/promises';
import path from 'node:path';
import tls from 'node:tls';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateCertbot, certbotArgs } from '../../src/tasks/ssl/certbot.js';
import { privateHome, runCli } from '../helpers/cli.js';
import { createTestSandbox, type TestSandboxWithServices } from '../helpers/sandbox.js';
import { startPebble, type Pebble } from './acme-fixtures.js';
import { freePort, tempDir } from './ssl-fixtures.js';

/**
 * Issue 15's "done": the sandbox with services (uWSGI at /catmaid/ over a unix socket, daphne, a private nginx in
 * CATMAID's documented layout), a local ACME server (pebble, really validating through nginx), and catmaid-tui
 * ssl --acme --django run as an admin runs it. Then Django, through nginx, sees https requests as secure with the
 * right host, does not trust a forged header, takes a login with a CSRF token over secure cookies (curl with a
 * cookie jar), the probe grades the site, and certbot's forced renewal gets the new certificate served.
 */
const NAME = 'catmaid.test';
const PASSWORD = 'tls-test-password-1';

// A small Django module of the test's own, written into this sandbox's checkout: what Django makes of a request.
const CHECK = `from django.contrib.auth import authenticate, login
from django.http import JsonResponse
from django.middleware.csrf import get_token
from django.urls import include, path
from django.views.decorators.csrf import ensure_csrf_cookie


def whoami(request):
    return JsonResponse({'secure': request.is_secure(), 'host': request.get_host(), 'scheme': request.scheme,
                         'user': request.user.username if request.user.is_authenticated else None})


@ensure_csrf_cookie
def login_view(request):
    if request.method == 'POST':
        user = authenticate(request, username=request.POST.get('username'), password=request.POST.get('password'))
        if user is None:
            return JsonResponse({'error': 'bad credentials'}, status=403)
        login(request, user)
    return JsonResponse({'csrf': get_token(request), 'user': request.user.username if request.user.is_authenticated else None})


urlpatterns = [path('tls-check/', whoami), path('tls-login/', login_view), path('', include('mysite.urls'))]
`;

let sb: TestSandboxWithServices;
let dir: string;
let pebble: Pebble;
let root: string;
let httpsPort: number;
let env: Record<string, string>;
let certbotDir: string;
const site = () => sb.services.nginx.siteFile;

async function supervisorctl(...args: string[]) {
  return execa('supervisorctl', ['-c', sb.services.supervisorConf, ...args], { reject: false });
}

/** curl through the sandbox's nginx as a browser on another machine would, with a cookie jar. */
async function curl(args: string[]): Promise<{ status: number; body: string; headers: string }> {
  const out = path.join(dir, 'curl-headers');
  const result = await execa('curl', ['-sS', '--resolve', `${NAME}:${httpsPort}:127.0.0.1`, '--resolve', `${NAME}:${sb.services.nginx.port}:127.0.0.1`,
    '--cacert', root, '-c', path.join(dir, 'jar'), '-b', path.join(dir, 'jar'), '-D', out, '-o', '-', '-w', '\n%{http_code}', ...args], { reject: false });
  const lines = `${result.stdout}`.split('\n');
  return { status: Number(lines.pop()), body: lines.join('\n'), headers: await fs.readFile(out, 'utf8').catch(() => '') };
}

function servedSerial(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port: httpsPort, servername: NAME, rejectUnauthorized: false }, () => {
      resolve(socket.getPeerX509Certificate()?.serialNumber ?? '');
      socket.destroy();
    });
    socket.on('error', reject);
  });
}

beforeAll(async () => {
  sb = await createTestSandbox({ services: true });
  dir = await tempDir('ssl-acme');
  await fs.chmod(dir, 0o755);
  // The site as CATMAID's manual writes it: no scheme lines (the sandbox's has them; that is what ssl must add).
  const docs = (await fs.readFile(site(), 'utf8')).replace(/^\s*uwsgi_param HTTP_X_FORWARDED_PROTO \$scheme;\n/m, '').replace(/^\s*proxy_set_header X-Forwarded-Proto \$scheme;\n/m, '');
  await fs.writeFile(site(), docs);
  const nginxArgs = ['-c', sb.services.nginx.conf, '-p', `${sb.services.nginx.prefix}/`];
  await execa(sb.services.nginx.binary, [...nginxArgs, '-s', 'reload']);
  // The test's Django view and user; signed-cookie sessions keep the login in the (secure) cookie itself.
  await fs.writeFile(path.join(sb.root, 'django', 'applications', 'catmaid', 'tls_check.py'), CHECK);
  const settings = path.join(sb.root, 'django', 'projects', 'mysite', 'settings.py');
  await fs.appendFile(settings, "\nROOT_URLCONF = 'catmaid.tls_check'\nSESSION_ENGINE = 'django.contrib.sessions.backends.signed_cookies'\n");
  const python = path.join(sb.root, 'django', 'env', 'bin', 'python');
  await execa(python, ['manage.py', 'createsuperuser', '--noinput', '--username', 'tls-admin', '--email', 'admin@catmaid.test'], {
    cwd: path.join(sb.root, 'django', 'projects'),
    env: { DJANGO_SUPERUSER_PASSWORD: PASSWORD },
  });
  pebble = await startPebble(dir, sb.services.nginx.port);
  root = path.join(dir, 'issuing-root.pem');
  await fs.writeFile(root, await pebble.issuingRoot());
  httpsPort = await freePort();
  certbotDir = path.join(dir, 'certbot');
  env = { ...privateHome(path.join(dir, 'home')), CATMAID_DIR: sb.root, REQUESTS_CA_BUNDLE: pebble.listenerCa };
}, 300_000);

afterAll(async () => {
  await pebble?.stop();
  await sb?.destroy();
  await fs.rm(dir, { recursive: true, force: true });
});

describe('ssl --acme --django on the sandbox with services, against a local ACME server', () => {
  it("gets the certificate through the running nginx and writes a site that passes nginx -t", async () => {
    const result = await runCli([
      'ssl', '--server-name', NAME, '--acme', '--email', 'admin@catmaid.test', '--webroot', path.join(dir, 'acme-webroot'),
      '--certbot-dir', certbotDir, '--acme-server', pebble.directory, '--https-port', String(httpsPort), '--listen', '127.0.0.1',
      '--http-port', String(sb.services.nginx.port), '--hsts', '--django', '--allowed-host', '--write', '--restart', '--yes',
    ], { env, timeout: 300_000 });
    expect(result.stderr).not.toMatch(/Error|✗/);
    expect(result.exitCode).toBe(0);
    const out = `${result.stdout}`;
    expect(out).toContain('this instance is a catmaid-tui sandbox: its own nginx');
    expect(out).toMatch(/  \+ location \/catmaid\/ \(uwsgi → unix:.*uwsgi\.socket\): gets uwsgi_param HTTP_X_FORWARDED_PROTO \$scheme;/);
    expect(out).toMatch(/  \+ location \/catmaid\/channels\/ \(proxy → http:\/\/unix:.*daphne\.socket\): gets proxy_set_header X-Forwarded-Proto \$scheme;/);
    expect(out).toContain("Let's Encrypt: certificate in place");
    expect(out).toMatch(/Renewal hook: .*renewal-hooks\/deploy\/catmaid-tui-nginx-catmaid\.test \(installed\)/);
    expect(out).toMatch(/nginx -t: .*test is successful/);
    expect(out).toContain('settings.py: SSL block written');
    expect(out).toContain('nginx restarted.');
    const written = await fs.readFile(site(), 'utf8');
    expect(written).toContain(`ssl_certificate ${certbotDir}/config/live/${NAME}/fullchain.pem;`);
    expect(written).toContain('location @maintenance {');
    const test = await execa(sb.services.nginx.binary, ['-c', sb.services.nginx.conf, '-p', `${sb.services.nginx.prefix}/`, '-t'], { reject: false, all: true });
    expect(test.exitCode).toBe(0);
    // Django reads settings.py when it starts.
    await supervisorctl('restart', 'catmaid:uwsgi');
  }, 300_000);

  it('Django sees https through the /catmaid/ uWSGI location as secure, with its host, even when the client claims http', async () => {
    const seen = await curl(['-H', 'X-Forwarded-Proto: http', `https://${NAME}:${httpsPort}/catmaid/tls-check/`]);
    expect(seen.status).toBe(200);
    expect(JSON.parse(seen.body)).toEqual({ secure: true, host: NAME, scheme: 'https', user: null });
    expect(seen.headers).toMatch(/strict-transport-security: max-age=63072000/i);
  });

  it('does not trust a forged X-Forwarded-Proto: https on plain http: nginx only redirects, Django never sees it', async () => {
    const forged = await curl(['-H', 'X-Forwarded-Proto: https', `http://${NAME}:${sb.services.nginx.port}/catmaid/tls-check/`]);
    expect(forged.status).toBe(301);
    expect(forged.headers).toMatch(new RegExp(`location: https://${NAME}:${httpsPort}/catmaid/tls-check/`, 'i'));
    expect(forged.body).not.toContain('secure');
  });

  it('logs in over https with a CSRF token and secure cookies (curl with a cookie jar)', async () => {
    const form = await curl([`https://${NAME}:${httpsPort}/catmaid/tls-login/`]);
    expect(form.headers).toMatch(/set-cookie: csrftoken=[^;]+;.*Secure/i);
    const token = JSON.parse(form.body).csrf as string;
    const login = await curl(['-X', 'POST', '-H', `Referer: https://${NAME}:${httpsPort}/catmaid/tls-login/`, '--data-urlencode', `csrfmiddlewaretoken=${token}`,
      '--data-urlencode', 'username=tls-admin', '--data-urlencode', `password=${PASSWORD}`, `https://${NAME}:${httpsPort}/catmaid/tls-login/`]);
    expect(login.status).toBe(200);
    expect(login.headers).toMatch(/set-cookie: sessionid=[^;]+;.*Secure/i);
    expect(JSON.parse((await curl([`https://${NAME}:${httpsPort}/catmaid/tls-check/`])).body).user).toBe('tls-admin');
    const jar = await fs.readFile(path.join(dir, 'jar'), 'utf8');
    expect(jar).toMatch(new RegExp(`${NAME}\\tFALSE\\t/\\tTRUE\\t\\d+\\tsessionid|${NAME}\\tFALSE\\t/\\tTRUE\\t0\\tsessionid`));
  });

  it('the probe grades the live site A+ for the reasons it gives', async () => {
    const result = await runCli(['ssl', 'probe', `https://${NAME}:${httpsPort}/catmaid/`, '--connect', '127.0.0.1', '--http-port', String(sb.services.nginx.port), '--ca-file', root, '--json'], { env });
    expect(result.exitCode).toBe(0);
    const report = JSON.parse(`${result.stdout}`);
    expect(report.grade).toBe('A+');
    expect(report.protocols.filter((p: { accepted: boolean }) => p.accepted).map((p: { version: string }) => p.version)).toEqual(['TLSv1.2', 'TLSv1.3']);
    expect(report.certificate).toMatchObject({ trusted: true, nameMatches: true });
    expect(report.redirect.ok).toBe(true);
    expect(report.http2).toBe(true);
    expect(report.reasons[0]).toBe('TLS 1.2/1.3 only, forward-secret AEAD ciphers, trusted chain naming the host');
  });

  it('ssl status --json says when the certificate expires and who renews it', async () => {
    const result = await runCli(['ssl', 'status', '--json'], { env });
    expect(result.exitCode).toBe(0);
    const status = JSON.parse(`${result.stdout}`);
    expect(status).toMatchObject({ schema: 'catmaid-tui/ssl-status@1', source: 'record' });
    expect(status.certificates[0]).toMatchObject({ serverName: NAME, level: 'ok', certbot: { configDir: `${certbotDir}/config`, lineage: NAME, renewalConf: true } });
    expect(status.certificates[0].daysLeft).toBeGreaterThan(21);
    expect(status.certificates[0].certbot.hook).toMatch(/catmaid-tui-nginx-catmaid\.test$/);
    expect(typeof status.renewal.scheduled).toBe('boolean');
    expect(status.renewal.detail).toMatch(/certbot/);
  });

  it('certbot renew --force-renewal: the deploy hook restarts nginx, which then serves the new certificate', async () => {
    const before = await servedSerial();
    const setup = privateCertbot(certbotDir);
    const renew = await execa('certbot', ['renew', '--force-renewal', '--no-random-sleep-on-renew', ...certbotArgs(setup)], { reject: false, all: true, env: { REQUESTS_CA_BUNDLE: pebble.listenerCa } });
    expect(renew.all).toMatch(/Hook 'deploy-hook' ran with output:\n\s*catmaid-tui: nginx restarted for the renewed certificate of catmaid\.test/);
    expect(renew.exitCode).toBe(0);
    const after = await servedSerial();
    expect(after).not.toBe(before);
    expect((await curl([`https://${NAME}:${httpsPort}/catmaid/tls-check/`])).status).toBe(200);
  }, 300_000);
});
