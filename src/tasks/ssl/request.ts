import fs from 'node:fs/promises';
import path from 'node:path';
import { freePort } from '../../sandbox/cluster.js';
import { UsageError } from '../errors.js';
import type { InstanceLayout } from '../instance/types.js';
import { liveFiles, privateCertbot, SYSTEM_CERTBOT, type CertbotSetup } from './certbot.js';
import type { ListenRequest } from './listen.js';
import type { NginxCommand } from './nginx-version.js';
import type { SslRequest } from './plan.js';
import { checkEmail, checkServerName } from './quote.js';
import { sandboxNginxOf } from './sandbox-nginx.js';
import { defaultSelfSignedFiles } from './self-signed.js';
import { readSiteSettings, type SiteSettings } from './static-settings.js';

/** Where certbot's webroot goes unless --webroot says: readable by nginx's workers, outside the checkout. */
export const DEFAULT_WEBROOT = '/var/www/catmaid-acme';

/** The choices of `catmaid-tui ssl` and of the SSL screen's form, before anything is looked up. */
export interface SslInput {
  serverName: string;
  source: 'files' | 'self-signed' | 'acme';
  cert?: string;
  key?: string;
  email?: string;
  webroot?: string;
  upstream?: string;
  siteFile?: string;
  hsts: boolean;
  listen?: ListenRequest;
  /** A private certbot (all its folders under this one) and a test CA's directory URL. */
  certbotDir?: string;
  acmeServer?: string;
  /** STATIC_URL/ROOT and STATIC_EXTENSION_URL/ROOT given by hand, over what settings say. */
  staticUrl?: string;
  staticRoot?: string;
  staticExtUrl?: string;
  staticExtRoot?: string;
}

function certificateFiles(input: SslInput, certbot: CertbotSetup): SslRequest['files'] {
  if (input.source === 'acme') return liveFiles(certbot, input.serverName);
  if (input.source === 'self-signed') {
    if (!!input.cert !== !!input.key) throw new UsageError('--self-signed with --cert needs --key too (or neither)');
    return input.cert && input.key ? { certificate: path.resolve(input.cert), key: path.resolve(input.key) } : defaultSelfSignedFiles(input.serverName);
  }
  if (!input.cert || !input.key) throw new UsageError('give --cert FILE and --key FILE, --self-signed, or --acme --email ADDRESS', 'catmaid-tui ssl --help');
  return { certificate: path.resolve(input.cert), key: path.resolve(input.key) };
}

/** Hand-given folders replace the settings' pair of the same kind. */
function withOverrides(site: SiteSettings, input: SslInput): SiteSettings {
  const folders = [...site.folders];
  const put = (what: string, url: string | undefined, dir: string | undefined) => {
    const at = folders.findIndex((f) => f.what === what);
    const old = at >= 0 ? folders[at] : undefined;
    if (!url && !dir) return;
    const next = { what, url: url ?? old?.url ?? '', dir: dir ?? old?.dir ?? '' };
    if (!next.url || !next.dir) throw new UsageError(`${what}: give both the URL and the folder`);
    if (at >= 0) folders[at] = next;
    else folders.push(next);
  };
  put('STATIC_URL/STATIC_ROOT', input.staticUrl, input.staticRoot);
  put('STATIC_EXTENSION_URL/STATIC_EXTENSION_ROOT', input.staticExtUrl, input.staticExtRoot);
  return { ...site, folders };
}

/** A sandbox's own nginx, its site file and loopback ports, unless the admin named an nginx configuration. */
async function sandboxDefaults(input: SslInput, nginx: NginxCommand, layout: InstanceLayout | undefined, notes: string[]) {
  const sandbox = layout && nginx.configArgs.length === 0 ? sandboxNginxOf(layout.root) : null;
  if (!sandbox) return { nginx, listen: input.listen };
  notes.push(`this instance is a catmaid-tui sandbox: its own nginx (${sandbox.nginx.configArgs[1]}) is used`);
  const hasTls = await fs.readFile(sandbox.siteFile, 'utf8').then((t) => /^\s*listen\s[^;]*\bssl\b/m.test(t), () => false);
  const listen = input.listen ?? (hasTls ? undefined : { address: '127.0.0.1', httpPort: sandbox.httpPort, httpsPort: await freePort() });
  // Its site file is found in its `nginx -T` like a host's.
  return { nginx: sandbox.nginx, listen };
}

/** Everything `planSsl` needs: certificate files, certbot, the instance's subdirectory and static folders. */
export async function buildSslRequest(input: SslInput, given: NginxCommand, layout: InstanceLayout | undefined, notes: string[]): Promise<SslRequest> {
  const serverName = checkServerName(input.serverName);
  const { nginx, listen } = await sandboxDefaults(input, given, layout, notes);
  const certbot = input.certbotDir ? privateCertbot(path.resolve(input.certbotDir), input.acmeServer) : { ...SYSTEM_CERTBOT, server: input.acmeServer };
  if (input.source === 'acme' && !input.email) throw new UsageError('--acme needs --email ADDRESS (Let\'s Encrypt writes there before a certificate expires)');
  let site: SiteSettings = { scriptName: '', folders: [], source: 'static' };
  if (layout) {
    site = await readSiteSettings(layout).catch((err: unknown) => {
      notes.push(`static folders not read from settings.py (${(err as Error).message}); old locations are kept`);
      return site;
    });
  }
  return {
    serverName,
    files: certificateFiles(input, certbot),
    selfSigned: input.source === 'self-signed',
    acme: input.source === 'acme' ? { email: checkEmail(input.email ?? ''), webroot: path.resolve(input.webroot ?? DEFAULT_WEBROOT), certbot } : undefined,
    upstream: input.upstream,
    siteFile: input.siteFile ? path.resolve(input.siteFile) : undefined,
    hsts: input.hsts,
    nginx,
    site: withOverrides(site, input),
    listen,
    root: layout?.root ?? null,
  };
}
