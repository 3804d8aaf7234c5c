import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import { createTwoFilesPatch } from 'diff';
import { UsageError } from '../errors.js';
import type { CertbotSetup } from './certbot.js';
import { checkCertificateFiles, type CertificateReport } from './certificate.js';
import type { DjangoLocation } from './django-locations.js';
import { planListen, type ListenPlan, type ListenRequest } from './listen.js';
import { generateSiteConfig, parseUpstream, type StaticFolder, type Upstream } from './nginx-config.js';
import { readRunningConfig, type NginxReading } from './nginx-read.js';
import { http2Style, nginxVersion, type NginxCommand, type NginxVersion } from './nginx-version.js';
import { restartPlan, systemdRunning, type RestartPlan } from './restart.js';
import type { SelfSignedFiles } from './self-signed.js';
import { planSiteFile } from './site-file.js';
import type { SiteSettings } from './static-settings.js';
import { resolversOf, type TlsFiles } from './tls-profile.js';

/** What the admin asked for (the command's flags, or the screen's form). */
export interface SslRequest {
  serverName: string;
  files: SelfSignedFiles;
  selfSigned: boolean;
  /** Let's Encrypt through certbot; `files` are then certbot's live files. */
  acme?: { email: string; webroot: string; certbot: CertbotSetup };
  upstream?: string;
  siteFile?: string;
  hsts: boolean;
  nginx: NginxCommand;
  /** FORCE_SCRIPT_NAME and the static folders, from Django, the static reader or flags. */
  site?: SiteSettings;
  listen?: ListenRequest;
  /** The CATMAID instance: copies of replaced files go to its state folder. */
  root?: string | null;
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
  replaced: { line: number; serverNames: string[] }[];
  kept: string[];
  /** Every location that hands requests to Django, and the scheme line it gets. */
  djangoLocations: DjangoLocation[];
  /** Blocks with their own add_header lines, which get the HSTS line too (nginx would not send the server's). */
  hstsBlocks: string[];
  /** The location made for a site that had none reaching Django. */
  newDjangoLocation?: { path: string; upstream: Upstream };
  staticsAdded: StaticFolder[];
  listen: ListenPlan;
  httpsPort: number;
  /** The generated server blocks alone. */
  config: string;
  /** The whole new site file, and a unified diff against the current one. */
  content: string;
  old: string | null;
  diff: string;
  /** Absent when the certificate is made at apply time (self-signed, Let's Encrypt). */
  certificate?: CertificateReport;
  restart: RestartPlan;
  /** What stops --write until the admin fixed it. */
  problems: string[];
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

/** Only for a site without any location reaching Django: --upstream, else what nginx -T passes to. */
function chooseUpstream(request: SslRequest, reading: NginxReading): Upstream {
  if (request.upstream) return parseUpstream(request.upstream);
  const found = reading.servers.find((s) => s.upstream)?.upstream;
  if (!found) {
    throw new UsageError('no upstream: no location of the site hands requests to Django (uwsgi_pass, proxy_pass)', 'pass --upstream 127.0.0.1:8000 (or uwsgi://ADDRESS)');
  }
  return found.kind === 'uwsgi' ? found : parseUpstream(found.address);
}

const slash = (p: string): string => (p.endsWith('/') ? p : `${p}/`);

/** Stapling only for a certificate that names an OCSP responder: nginx staples nothing for one that does not. */
function staplingFor(files: SelfSignedFiles, chain: string | undefined): TlsFiles['stapling'] {
  try {
    const cert = new X509Certificate(fs.readFileSync(files.certificate));
    if (!/OCSP - URI:/.test(cert.infoAccess ?? '')) return undefined;
  } catch {
    return undefined;
  }
  const resolvers = resolversOf(fs.existsSync('/etc/resolv.conf') ? fs.readFileSync('/etc/resolv.conf', 'utf8') : '');
  return { trusted: chain, resolvers };
}

/** Everything that would be done, computed without changing anything. */
export async function planSsl(request: SslRequest): Promise<SslPlan> {
  const version = await nginxVersion(request.nginx);
  const site = request.site ?? { scriptName: '', folders: [], source: 'static' as const };
  const find = { serverName: request.serverName, upstream: request.upstream, staticRoots: site.folders.map((f) => f.dir) };
  const reading = await readRunningConfig(request.nginx, find);
  const notes: string[] = [];
  if (!reading.ok) notes.push(`nginx -T failed, so no existing CATMAID server block was looked for: ${reading.error}`);
  const { siteFile, siteFileSource } = chooseSiteFile(request, reading);
  const old = await fsp.readFile(siteFile, 'utf8').catch(() => null);
  const sitePlan = planSiteFile(old, { ...find, hsts: request.hsts }, reading.includes, reading.http);
  notes.push(...sitePlan.notes);
  const newDjangoLocation = sitePlan.djangoLocations.length === 0 ? { path: `${site.scriptName}/`, upstream: chooseUpstream(request, reading) } : undefined;
  const served = new Set(sitePlan.servedPaths.map(slash));
  const staticsAdded = site.folders.filter((f) => !served.has(slash(f.url)));
  const style = http2Style(version);
  const listen = planListen(sitePlan.oldListens, request.listen, style, fs.existsSync('/proc/net/if_inet6'));
  const chain = request.acme ? request.files.certificate.replace(/fullchain\.pem$/, 'chain.pem') : undefined;
  const config = generateSiteConfig({
    serverName: request.serverName,
    otherNames: sitePlan.otherNames,
    files: { ...request.files, stapling: staplingFor(request.files, chain) },
    nginxVersion: version,
    hsts: request.hsts,
    listen,
    acmeWebroot: request.acme?.webroot,
    statics: staticsAdded,
    kept: sitePlan.kept,
    gzip: !sitePlan.hasGzip,
    django: newDjangoLocation,
  });
  const content = sitePlan.compose(config);
  const diff = createTwoFilesPatch(siteFile, siteFile, old ?? '', content, old === null ? '(new file)' : 'current', 'new');
  const filesExist = fs.existsSync(request.files.certificate) && fs.existsSync(request.files.key);
  const certificate = filesExist || (!request.selfSigned && !request.acme)
    ? await checkCertificateFiles(request.files.certificate, request.files.key, request.serverName)
    : undefined;
  if (request.selfSigned && filesExist) notes.push('--self-signed: the certificate files exist already and are used as they are');
  if (site.source === 'static' && site.fallbackReason) notes.push(`Django could not be imported (${site.fallbackReason}): static folders read from settings.py's plain assignments`);
  return {
    request,
    nginxVersion: version,
    http2: style,
    reading,
    siteFile,
    siteFileExists: old !== null,
    siteFileSource,
    replaced: sitePlan.replaced,
    kept: sitePlan.kept,
    djangoLocations: sitePlan.djangoLocations,
    hstsBlocks: sitePlan.hstsBlocks,
    newDjangoLocation,
    staticsAdded,
    listen,
    httpsPort: listen.httpsPort,
    config,
    content,
    old,
    diff,
    certificate,
    restart: restartPlan(request.nginx, await systemdRunning()),
    problems: sitePlan.problems,
    notes,
  };
}
