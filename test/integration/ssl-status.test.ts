import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sslChecks } from '../../src/tasks/checkup/rules/ssl.js';
import { renewalHook, renewalHookPath, privateCertbot } from '../../src/tasks/ssl/certbot.js';
import { sslNotices } from '../../src/tasks/ssl/notices.js';
import { renewalSchedule, type ScheduleProbe } from '../../src/tasks/ssl/renewal.js';
import { restartPlan } from '../../src/tasks/ssl/restart.js';
import { readSslStatus, servedCertificate } from '../../src/tasks/ssl/status.js';
import { statusLines, statusSummary } from '../../src/tasks/ssl/status-lines.js';
import { openssl, tempDir } from './ssl-fixtures.js';

/** Certificates that run out in 30, 15 and 3 days, one of them where certbot keeps its files; cron or not. */
const NAME = 'catmaid.example.org';
let dir: string;
const DAY = 86_400_000;

async function cert(file: string, days: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', String(days), '-subj', `/CN=${NAME}`, '-keyout', `${file}.key`, '-out', file], dir);
}

/** A /proc with one process of the given name, a cron.d file with the given line. */
async function machine(name: string, comm: string | null, cronLine: string | null): Promise<ScheduleProbe> {
  const base = path.join(dir, name);
  await fs.mkdir(path.join(base, 'proc', '4242'), { recursive: true });
  if (comm) await fs.writeFile(path.join(base, 'proc', '4242', 'comm'), `${comm}\n`);
  if (cronLine) await fs.writeFile(path.join(base, 'certbot'), `SHELL=/bin/sh\n${cronLine}\n`);
  return { systemd: false, cronFiles: [path.join(base, 'certbot')], proc: path.join(base, 'proc') };
}

beforeAll(async () => {
  dir = await tempDir('ssl-status');
  await cert(path.join(dir, 'le', 'live', NAME, 'fullchain.pem'), 30);
  await fs.mkdir(path.join(dir, 'le', 'renewal'), { recursive: true });
  await fs.writeFile(path.join(dir, 'le', 'renewal', `${NAME}.conf`), '[renewalparams]\nauthenticator = webroot\n');
  await cert(path.join(dir, 'soon.pem'), 15);
  await cert(path.join(dir, 'urgent.pem'), 3);
});

afterAll(async () => {
  await fs.rm(dir, { recursive: true, force: true });
});

const DEBIAN_CRON = "0 */12 * * * root test -x /usr/bin/certbot -a \\! -d /run/systemd/system && perl -e 'sleep int(rand(43200))' && certbot -q renew --no-random-sleep-on-renew";

describe('is certbot renew scheduled', () => {
  it('Debian\'s cron line with cron running: yes; without a cron daemon: no, and how to fix it', async () => {
    expect(await renewalSchedule(await machine('a', 'cron', DEBIAN_CRON))).toMatchObject({ scheduled: true, how: 'cron' });
    expect(await renewalSchedule(await machine('b', 'sshd', DEBIAN_CRON))).toMatchObject({ scheduled: false, how: 'cron', detail: expect.stringMatching(/no cron daemon is running: start cron$/) });
  });

  it('a commented line, or none: not scheduled', async () => {
    expect(await renewalSchedule(await machine('c', 'cron', `# ${DEBIAN_CRON}`))).toMatchObject({ scheduled: false, how: 'none' });
    expect(await renewalSchedule(await machine('d', 'cron', null))).toMatchObject({ scheduled: false, detail: expect.stringMatching(/nothing runs certbot renew/) });
  });
});

describe('the certificate nginx serves, as ssl status, Home and the checkup show it', () => {
  it('30 days: ok; 15: warn; 3: fail; certbot\'s files are known as certbot\'s, with their renewal file and hook', async () => {
    const ok = servedCertificate(NAME, path.join(dir, 'le', 'live', NAME, 'fullchain.pem'));
    expect(ok).toMatchObject({ level: 'ok', daysLeft: 29, certbot: { configDir: path.join(dir, 'le'), lineage: NAME, renewalConf: true, hook: null } });
    expect(servedCertificate(NAME, path.join(dir, 'soon.pem'))).toMatchObject({ level: 'warn', daysLeft: 14 });
    expect(servedCertificate(NAME, path.join(dir, 'urgent.pem'))).toMatchObject({ level: 'fail', daysLeft: 2 });
    expect(servedCertificate(NAME, path.join(dir, 'urgent.pem'), new Date(Date.now() + 10 * DAY))).toMatchObject({ level: 'fail', message: expect.stringMatching(/^expired on /) });
    expect(servedCertificate(NAME, path.join(dir, 'missing.pem')).level).toBe('fail');
  });

  it('notices for Home and info only when something needs the admin; the checkup says the same', async () => {
    const record = (file: string) => ({ serverName: NAME, url: `https://${NAME}/`, certificate: file, siteFile: '/x', nginx: { binary: 'nginx', configArgs: [] }, writtenAt: '' });
    const noCron = await machine('e', null, DEBIAN_CRON);
    const fine = await readSslStatus({ record: record(path.join(dir, 'le', 'live', NAME, 'fullchain.pem')), serverNames: [], probe: async () => machine('f', 'cron', DEBIAN_CRON) });
    expect(sslNotices(fine)).toEqual([]);
    expect(statusSummary(fine)).toBe('✓ 29 d · auto');
    expect(sslChecks({ ssl: fine }).map((c) => [c.id, c.status])).toEqual([['ssl.certificate', 'ok'], ['ssl.renewal', 'ok']]);
    const unscheduled = await readSslStatus({ record: record(path.join(dir, 'le', 'live', NAME, 'fullchain.pem')), serverNames: [], probe: async () => noCron });
    expect(sslNotices(unscheduled)).toEqual([expect.objectContaining({ id: 'ssl.renewal', severity: 'warn', text: expect.stringMatching(/^certificate renewal is not scheduled/) })]);
    expect(sslChecks({ ssl: unscheduled }).find((c) => c.id === 'ssl.renewal')).toMatchObject({ status: 'fail', fix: { kind: 'manual' } });
    const urgent = await readSslStatus({ record: record(path.join(dir, 'urgent.pem')), serverNames: [], probe: async () => noCron });
    expect(urgent.renewal).toBeNull();
    expect(sslNotices(urgent)).toEqual([expect.objectContaining({ severity: 'fail', text: 'certificate expires in 2 days: catmaid.example.org, renew it', screen: 'ssl' })]);
    expect(statusSummary(urgent)).toBe('✗ 2 d · by hand');
    expect(statusLines(urgent)[0]).toMatch(/^✗ catmaid\.example\.org: valid until .*renewed by hand$/);
    const soon = await readSslStatus({ record: record(path.join(dir, 'soon.pem')), serverNames: [], probe: async () => noCron });
    expect(sslChecks({ ssl: soon })).toEqual([expect.objectContaining({ id: 'ssl.certificate', status: 'warn' })]);
    expect(sslChecks({ ssl: null })).toEqual([]);
  });

  it('the renewal hook restarts the nginx that serves the certificate, only for its own lineage', () => {
    const setup = privateCertbot('/srv/certbot');
    expect(renewalHookPath(setup, NAME)).toBe(`/srv/certbot/config/renewal-hooks/deploy/catmaid-tui-nginx-${NAME}`);
    const systemd = renewalHook(setup, NAME, restartPlan({ binary: '/usr/sbin/nginx', configArgs: [] }, true));
    expect(systemd).toContain(`[ "$RENEWED_LINEAGE" = '/srv/certbot/config/live/${NAME}' ] || exit 0`);
    expect(systemd).toContain('\nsystemctl restart nginx\n');
    const own = renewalHook(setup, NAME, restartPlan({ binary: '/usr/sbin/nginx', configArgs: ['-c', "/srv/it's/nginx.conf"] }, false));
    expect(own).toContain("'/usr/sbin/nginx' '-c' '/srv/it'\\''s/nginx.conf' -s stop || true");
    expect(own).toContain("until '/usr/sbin/nginx' '-c' '/srv/it'\\''s/nginx.conf'; do");
    expect(own).toContain("# nginx uses new certificate files only after a restart (CATMAID's administration manual).");
  });
});
