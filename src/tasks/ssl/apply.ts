import fs from 'node:fs/promises';
import path from 'node:path';
import { RefusedError } from '../errors.js';
import type { TaskLog } from '../task-log.js';
import { challengeSite, selfCheck } from './acme-challenge.js';
import { installRenewalHook, obtainCertificate } from './certbot.js';
import { checkCertificateFiles, refuseFailedChecks, type CertificateReport } from './certificate.js';
import type { SslPlan } from './plan.js';
import { writeSslRecord } from './record.js';
import { renewalSchedule, systemProbe, type RenewalSchedule, type ScheduleProbe } from './renewal.js';
import { reloadNginx } from './restart.js';
import { createSelfSigned } from './self-signed.js';
import { installSiteFile, putBack, type SiteWrite } from './site-install.js';

export interface AcmeResult {
  /** The site while certbot proved the domain (reloaded into the running nginx). */
  challenge: SiteWrite;
  certbot: string;
  hook: { file: string; changed: boolean };
  schedule: RenewalSchedule;
}

export interface SslResult {
  selfSignedCreated: boolean;
  certificate: CertificateReport;
  write: SiteWrite;
  acme?: AcmeResult;
  /** catmaid-tui's record of this setup (Home and `ssl status` read it). */
  record?: string;
}

export interface ApplyOptions {
  log?: TaskLog;
  /** Each step as it starts, for a spinner. */
  onStep?: (text: string) => void;
  schedule?: ScheduleProbe;
}

/** `https://name[:port]/subdir/`: where the site answers once this is applied. */
export function siteUrl(plan: SslPlan): string {
  const port = plan.httpsPort === 443 ? '' : `:${plan.httpsPort}`;
  return `https://${plan.request.serverName}${port}${plan.request.site?.scriptName ?? ''}/`;
}

/** Let's Encrypt: the challenge location live in the running nginx, a self-check, then certbot. */
async function obtain(plan: SslPlan, options: ApplyOptions, state: { challenged: boolean }): Promise<Pick<AcmeResult, 'challenge' | 'certbot'>> {
  const acme = plan.request.acme!;
  const { nginx, serverName, root } = plan.request;
  options.onStep?.(`serving ${acme.webroot} for Let's Encrypt's challenge (nginx -t, reload)`);
  await fs.mkdir(acme.webroot, { recursive: true, mode: 0o755 });
  const challenge = await installSiteFile(nginx, plan.siteFile, challengeSite(plan.old, serverName, acme.webroot, plan.listen), root);
  state.challenged = true;
  options.log?.line(`wrote the challenge site ${challenge.file}; nginx -t: ${challenge.test.split('\n').at(-1)}`);
  await reloadNginx(plan.restart);
  options.onStep?.('checking that nginx serves the challenge folder');
  await selfCheck(acme.webroot, serverName, plan.listen);
  options.onStep?.(`certbot certonly --webroot for ${serverName}`);
  const certbot = await obtainCertificate(acme.certbot, { name: serverName, email: acme.email, webroot: acme.webroot }, options.log);
  return { challenge, certbot };
}

/**
 * Do it: get the certificate (self-signed, or from Let's Encrypt with nginx kept running), refuse on a failed
 * certificate check, then write the site file, which `nginx -t` must accept or the old file comes back. After a
 * failure the site file is as it was before, byte for byte.
 */
export async function applySsl(plan: SslPlan, options: ApplyOptions = {}): Promise<SslResult> {
  const { request } = plan;
  if (plan.problems.length > 0) throw new RefusedError(`cannot fit the site: ${plan.problems.join('; ')}`, 'nothing was written');
  const target = await fs.realpath(plan.siteFile).catch(() => path.resolve(plan.siteFile));
  const original = await fs.readFile(target).catch(() => null);
  let obtained: Pick<AcmeResult, 'challenge' | 'certbot'> | undefined;
  let selfSignedCreated = false;
  const state = { challenged: false };
  try {
    if (request.acme) obtained = await obtain(plan, options, state);
    else if (!plan.certificate) {
      await createSelfSigned(request.serverName, request.files);
      selfSignedCreated = true;
    }
    const certificate = request.acme || selfSignedCreated
      ? await checkCertificateFiles(request.files.certificate, request.files.key, request.serverName)
      : (plan.certificate as CertificateReport);
    refuseFailedChecks(certificate);
    options.onStep?.(`writing ${plan.siteFile}, then nginx -t`);
    const write = await installSiteFile(request.nginx, plan.siteFile, plan.content, request.root);
    options.log?.line(`wrote ${write.file}; nginx -t: ${write.test.split('\n').at(-1)}`);
    state.challenged = false;
    const result: SslResult = { selfSignedCreated, certificate, write };
    if (request.acme && obtained) {
      const hook = await installRenewalHook(request.acme.certbot, request.serverName, plan.restart);
      const schedule = await renewalSchedule(options.schedule ?? systemProbe(plan.restart.how === 'systemctl'));
      result.acme = { ...obtained, hook, schedule };
    }
    if (request.root) {
      result.record = await writeSslRecord(request.root, {
        serverName: request.serverName,
        url: siteUrl(plan),
        certificate: request.files.certificate,
        siteFile: write.file,
        nginx: request.nginx,
        ...(request.acme ? { certbot: request.acme.certbot } : {}),
        writtenAt: new Date().toISOString(),
      });
    }
    return result;
  } catch (err) {
    if (state.challenged) {
      // The challenge site is live: the file goes back as it was, and so does the running nginx.
      await putBack(target, original);
      await reloadNginx(plan.restart).catch(() => undefined);
    }
    throw err;
  }
}
