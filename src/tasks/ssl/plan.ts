import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createTwoFilesPatch } from 'diff';
import { UsageError } from '../errors.js';
import { checkCertificateFiles, refuseFailedChecks, type CertificateReport } from './certificate.js';
import { generateSiteConfig, parseUpstream, type SiteOptions, type Upstream } from './nginx-config.js';
import { readRunningConfig, type NginxReading } from './nginx-read.js';
import { http2Style, nginxVersion, type NginxCommand, type NginxVersion } from './nginx-version.js';
import { restartPlan, systemdRunning, type RestartPlan } from './restart.js';
import { createSelfSigned, type SelfSignedFiles } from './self-signed.js';
import { installSiteFile, planSiteFile, type SiteWrite } from './site-file.js';
import type { StaticSettings } from './static-settings.js';

/** What the admin asked for (the command's flags, or the screen's form). */
export interface SslRequest {
  serverName: string;
  files: SelfSignedFiles;
  selfSigned: boolean;
  upstream?: string;
  siteFile?: string;
  hsts: boolean;
  nginx: NginxCommand;
  statics?: Partial<StaticSettings>;
  listen?: SiteOptions['listen'];
}

export interface SslPlan {
  request: SslRequest;
  nginxVersion: NginxVersion;
  http2: 'directive' | 'listen';
  reading: NginxReading;
  siteFile: string;
  siteFileExists: boolean;
  /** Why this site file: given, found in `nginx -T`, or the default for a new one. */
  siteFileSource: 'given' | 'found' | 'default';
  upstream: Upstream;
  replaced: { line: number; serverNames: string[] }[];
  kept: string[];
  /** The generated server blocks alone. */
  config: string;
  /** The whole new site file, and a unified diff against the current one. */
  content: string;
  diff: string;
  /** Absent when `--self-signed` will create the files at --write. */
  certificate?: CertificateReport;
  restart: RestartPlan;
  notes: string[];
}

/** Where a new site goes: Debian's sites-enabled when it exists (nginx.conf includes it), else conf.d. */
function defaultSiteFile(): string {
  return fs.existsSync('/etc/nginx/sites-enabled') ? '/etc/nginx/sites-enabled/catmaid' : '/etc/nginx/conf.d/catmaid.conf';
}

function chooseSiteFile(request: SslRequest, reading: NginxReading): Pick<SslPlan, 'siteFile' | 'siteFileSource'> {
  if (request.siteFile) return { siteFile: request.siteFile, siteFileSource: 'given' };
  if (!reading.ok) {
    // Without the running configuration a new default file could serve CATMAID twice.
    throw new UsageError(`nginx -T failed, so the site file serving CATMAID is unknown: ${reading.error}`, 'pass --site-file PATH');
  }
  const byName = reading.servers.find((s) => s.matchedBy === 'server_name') ?? reading.servers[0];
  if (byName) return { siteFile: byName.file, siteFileSource: 'found' };
  if (request.nginx.configArgs.length > 0) {
    throw new UsageError('no CATMAID server block in the given nginx configuration', 'pass --site-file PATH');
  }
  return { siteFile: defaultSiteFile(), siteFileSource: 'default' };
}

function chooseUpstream(request: SslRequest, reading: NginxReading): Upstream {
  if (request.upstream) return parseUpstream(request.upstream);
  const found = reading.servers.find((s) => s.upstream)?.upstream;
  if (!found) {
    throw new UsageError('no upstream: the running nginx has no CATMAID server block to take it from', 'pass --upstream 127.0.0.1:8000 (or uwsgi://ADDRESS)');
  }
  return found.kind === 'uwsgi' ? found : parseUpstream(found.address);
}

/** Everything that would be done, computed without changing anything. */
export async function planSsl(request: SslRequest): Promise<SslPlan> {
  const version = await nginxVersion(request.nginx);
  const reading = await readRunningConfig(request.nginx, request.serverName, request.upstream);
  const notes: string[] = [];
  if (!reading.ok) notes.push(`nginx -T failed, so no existing CATMAID server block was looked for: ${reading.error}`);
  const { siteFile, siteFileSource } = chooseSiteFile(request, reading);
  const upstream = chooseUpstream(request, reading);
  const old = await fsp.readFile(siteFile, 'utf8').catch(() => null);
  const statics = request.statics ?? {};
  const ownUrls = [statics.staticRoot ? statics.staticUrl : null, statics.staticExtensionRoot ? statics.staticExtensionUrl : null]
    .filter((u): u is string => !!u);
  const site = planSiteFile(old, request.serverName, request.upstream ?? upstream.address, ownUrls);
  const config = generateSiteConfig({
    serverName: request.serverName,
    certificate: request.files.certificate,
    key: request.files.key,
    upstream,
    nginxVersion: version,
    hsts: request.hsts,
    listen: request.listen,
    ipv6: fs.existsSync('/proc/net/if_inet6'),
    ...statics,
    kept: site.kept,
  });
  const content = site.compose(config);
  const diff = createTwoFilesPatch(siteFile, siteFile, old ?? '', content, old === null ? '(new file)' : 'current', 'new');
  const filesExist = fs.existsSync(request.files.certificate) && fs.existsSync(request.files.key);
  let certificate: CertificateReport | undefined;
  if (!request.selfSigned || filesExist) {
    certificate = await checkCertificateFiles(request.files.certificate, request.files.key, request.serverName);
  }
  if (request.selfSigned && filesExist) notes.push('--self-signed: the certificate files exist already and are used as they are');
  return {
    request,
    nginxVersion: version,
    http2: http2Style(version),
    reading,
    siteFile,
    siteFileExists: old !== null,
    siteFileSource,
    upstream,
    replaced: site.replaced,
    kept: site.kept,
    config,
    content,
    diff,
    certificate,
    restart: restartPlan(request.nginx, systemdRunning()),
    notes,
  };
}

export interface SslResult {
  selfSignedCreated: boolean;
  certificate: CertificateReport;
  write: SiteWrite;
}

/**
 * Do it: make the self-signed files if asked, refuse on a failed certificate check (nothing written yet), then
 * write the site file, which `nginx -t` must accept or the old file comes back.
 */
export async function applySsl(plan: SslPlan): Promise<SslResult> {
  const { request } = plan;
  let selfSignedCreated = false;
  if (!plan.certificate) {
    await createSelfSigned(request.serverName, request.files);
    selfSignedCreated = true;
  }
  const certificate = plan.certificate ?? (await checkCertificateFiles(request.files.certificate, request.files.key, request.serverName));
  refuseFailedChecks(certificate);
  const write = await installSiteFile(request.nginx, plan.siteFile, plan.content);
  return { selfSignedCreated, certificate, write };
}
