import readline from 'node:readline/promises';
import { Option, type Command } from 'commander';
import { RefusedError, UsageError } from '../tasks/errors.js';
import { readLayout } from '../tasks/instance/layout.js';
import type { InstanceLayout } from '../tasks/instance/types.js';
import { applySsl, type SslResult } from '../tasks/ssl/apply.js';
import { applyDjangoSsl, planDjangoSsl, type DjangoSslPlan, type DjangoSslResult } from '../tasks/ssl/django-secure.js';
import { requireNginx } from '../tasks/ssl/nginx-version.js';
import { planSsl, type SslPlan } from '../tasks/ssl/plan.js';
import { hstsExplanation, planLines, restartLine, resultLines } from '../tasks/ssl/report.js';
import { buildSslRequest, DEFAULT_WEBROOT, type SslInput } from '../tasks/ssl/request.js';
import { restartNginx } from '../tasks/ssl/restart.js';
import { openTaskLog } from '../tasks/task-log.js';
import { confirmOrRefuse } from './confirm.js';
import { instanceOf, printJson } from './context.js';
import { registerSslProbe } from './ssl-probe.js';
import { registerSslStatus } from './ssl-status.js';

interface SslFlags {
  serverName: string;
  cert?: string;
  key?: string;
  selfSigned?: boolean;
  acme?: boolean;
  email?: string;
  webroot?: string;
  upstream?: string;
  siteFile?: string;
  hsts?: boolean;
  write?: boolean;
  django?: boolean;
  allowedHost?: boolean;
  restart?: boolean;
  yes?: boolean;
  json?: boolean;
  staticUrl?: string;
  staticRoot?: string;
  staticExtUrl?: string;
  staticExtRoot?: string;
  listen?: string;
  httpsPort?: number;
  httpPort?: number;
  nginxConf?: string;
  nginxPrefix?: string;
  nginxErrorLog?: string;
  certbotDir?: string;
  acmeServer?: string;
}

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`not a port: ${value}`);
  return n;
};

/** The instance's layout when one can be found; the nginx part works without one. */
async function layoutOf(command: Command, needed: boolean): Promise<InstanceLayout | undefined> {
  try {
    return readLayout((await instanceOf(command)).root);
  } catch (err) {
    if (needed) throw err;
    return undefined;
  }
}

/** A yes/no whose "no" is an answer, not a refusal: the files are written already, only the restart waits. */
async function ask(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

function inputOf(flags: SslFlags): SslInput {
  const sources = [flags.acme && 'acme', flags.selfSigned && 'self-signed'].filter(Boolean);
  if (sources.length > 1) throw new UsageError('--acme and --self-signed exclude each other');
  return {
    ...flags,
    serverName: flags.serverName,
    source: flags.acme ? 'acme' : flags.selfSigned ? 'self-signed' : 'files',
    hsts: flags.hsts === true,
    listen: flags.listen || flags.httpsPort || flags.httpPort ? { address: flags.listen, httpsPort: flags.httpsPort, httpPort: flags.httpPort } : undefined,
  };
}

function nginxArgs(flags: SslFlags): string[] {
  const pathOf = (p: string) => (p.startsWith('/') ? p : `${process.cwd()}/${p}`);
  return [
    ...(flags.nginxConf ? ['-c', pathOf(flags.nginxConf)] : []),
    ...(flags.nginxPrefix ? ['-p', pathOf(flags.nginxPrefix)] : []),
    ...(flags.nginxErrorLog ? ['-e', pathOf(flags.nginxErrorLog)] : []),
  ];
}

async function run(flags: SslFlags, command: Command): Promise<void> {
  if (!flags.serverName) throw new UsageError('--server-name NAME is needed', 'e.g. catmaid-tui ssl --server-name catmaid.example.org --acme --email you@example.org');
  if (flags.restart && !flags.write) throw new UsageError('--restart needs --write', 'nothing to restart for in a dry run');
  if (flags.allowedHost && !flags.django) throw new UsageError('--allowed-host needs --django');
  // Refused before anything is written, not after: there will be nobody to answer the question.
  if (flags.write && !flags.yes && !process.stdin.isTTY) {
    throw new RefusedError('--write asks for a confirmation and there is no terminal', 'add --yes');
  }
  const layout = await layoutOf(command, flags.django === true);
  const notes: string[] = [];
  const request = await buildSslRequest(inputOf(flags), requireNginx(nginxArgs(flags)), layout, notes);
  const plan = await planSsl(request);
  plan.notes.push(...notes);
  const django = flags.django && layout ? await planDjangoSsl(layout, { serverName: request.serverName, httpsPort: plan.httpsPort, addAllowedHost: flags.allowedHost === true }) : undefined;
  if (!flags.write) return dryRun(plan, flags, django);
  const what = [
    request.acme ? `get a certificate for ${request.serverName} from Let's Encrypt (nginx reloaded to serve the challenge)` : undefined,
    `write ${plan.siteFile} (nginx -t; the old file is kept in catmaid-tui's state folder)`,
    django ? `set the SSL block in ${layout?.settingsPy}` : undefined,
  ].filter(Boolean);
  await confirmOrRefuse(`${what.join(', ')}?`, flags.yes);
  const log = openTaskLog('ssl');
  try {
    log.output(planLines(plan).join('\n'));
    const result = await applySsl(plan, { log, onStep: (text) => flags.json || process.stderr.write(`… ${text}\n`) });
    log.output(resultLines(result).join('\n'));
    const djangoResult = django && layout ? await applyDjangoSsl(layout, django) : undefined;
    if (djangoResult) log.output(`settings.py ${djangoResult.changed ? `changed (copy ${djangoResult.copy})` : 'already had the block'}`);
    const restarted = flags.restart ? await ask(`Restart nginx now (${plan.restart.display})?`, flags.yes) : false;
    if (restarted) {
      log.line(`restart: ${plan.restart.display}`);
      await restartNginx(plan.restart);
    }
    report(plan, result, djangoResult, restarted, flags.json === true, log.path);
  } catch (err) {
    log.line(`failed: ${(err as Error).message}`);
    throw err;
  } finally {
    log.close();
  }
}

function dryRun(plan: SslPlan, flags: SslFlags, django: DjangoSslPlan | undefined): void {
  const failed = plan.certificate?.checks.filter((c) => c.level === 'fail') ?? [];
  if (flags.json) printJson({ written: false, ...jsonPlan(plan), django });
  else {
    const lines = django
      ? ['', '--- settings.py ---', django.diff.trimEnd() || '(the SSL block is already there)', ...django.notes.map((n) => `Note: ${n}`)]
      : [];
    process.stdout.write(`${[...planLines(plan), ...lines, '', 'Dry run: nothing was written. Run again with --write to apply.'].join('\n')}\n`);
  }
  if (plan.problems.length > 0) throw new RefusedError(`cannot fit the site: ${plan.problems.join('; ')}`, '--write would refuse too');
  if (failed.length > 0) throw new RefusedError(`certificate check failed: ${failed.map((c) => c.message).join('; ')}`, '--write would refuse too');
}

function jsonPlan(plan: SslPlan) {
  const { request, reading, old: _old, ...rest } = plan;
  return {
    ...rest,
    serverName: request.serverName,
    files: request.files,
    acme: request.acme,
    nginxBinary: request.nginx.binary,
    found: reading.servers,
    hsts: { enabled: request.hsts, explanation: hstsExplanation(request.hsts) },
  };
}

function report(plan: SslPlan, result: SslResult, django: DjangoSslResult | undefined, restarted: boolean, json: boolean, log: string): void {
  if (json) {
    printJson({ written: true, ...jsonPlan(plan), result, django, restart: { how: plan.restart.how, display: plan.restart.display, done: restarted }, log });
    return;
  }
  const lines = [...planLines(plan), '', ...resultLines(result)];
  if (django) {
    lines.push(django.changed ? `settings.py: SSL block written${django.copy ? ` (old file: ${django.copy})` : ''}; settings import.` : 'settings.py: SSL block already there; settings import.');
    lines.push(django.warnings.length === 0 ? 'manage.py check --deploy: no warnings.' : 'manage.py check --deploy still warns:');
    lines.push(...django.warnings.map((w) => `  ${w.id}: ${w.meaning}`));
  }
  lines.push(restarted ? 'nginx restarted.' : restartLine(plan.restart.display));
  lines.push(`log: ${log}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerSsl(program: Command): void {
  const ssl = program.command('ssl').description('HTTPS for CATMAID: nginx TLS site, Django settings, Let\'s Encrypt, status and a probe of the live site');
  ssl
    .command('setup', { isDefault: true })
    .description('fit the nginx site for HTTPS (every Django location passes the scheme), and with --django the settings that go with it')
    .option('--server-name <name>', 'the public host name, e.g. catmaid.example.org')
    .option('--cert <file>', 'certificate file (PEM; server certificate first, then intermediates)')
    .option('--key <file>', 'private key file (PEM, no passphrase)')
    .option('--self-signed', 'make a key and a self-signed certificate with openssl (for testing)')
    .option('--acme', 'get the certificate from Let\'s Encrypt with certbot (webroot; nginx keeps running)')
    .option('--email <address>', 'with --acme: where Let\'s Encrypt writes about expiry')
    .option('--webroot <dir>', `with --acme: the folder nginx serves the challenge from (default ${DEFAULT_WEBROOT})`)
    .option('--upstream <address>', 'for a site without a Django location: 127.0.0.1:8000, unix:/path.sock, uwsgi://ADDRESS')
    .option('--site-file <path>', 'the nginx site file to write (default: the one holding CATMAID, else a new one)')
    .option('--hsts', 'send Strict-Transport-Security (read the risk in the output first)')
    .option('--write', 'write the files (without it: print the configuration and the diff only)')
    .option('--django', 'also set secure cookies, SECURE_PROXY_SSL_HEADER and CSRF_TRUSTED_ORIGINS in settings.py')
    .option('--allowed-host', 'with --django: add the server name to ALLOWED_HOSTS when it is missing')
    .option('--restart', 'restart nginx after writing (asks first)')
    .option('-y, --yes', 'do not ask')
    .option('--json', 'print the result as JSON')
    .option('--static-url <url>', 'STATIC_URL (default: from Django)')
    .option('--static-root <dir>', 'STATIC_ROOT (default: from Django)')
    .option('--static-ext-url <url>', 'STATIC_EXTENSION_URL (default: from Django)')
    .option('--static-ext-root <dir>', 'STATIC_EXTENSION_ROOT (default: from Django)')
    .addOption(new Option('--listen <address>', 'listen on this address only').hideHelp())
    .addOption(new Option('--https-port <port>', 'port of the TLS server (default 443)').argParser(port).hideHelp())
    .addOption(new Option('--http-port <port>', 'port of the redirect server (default 80)').argParser(port).hideHelp())
    .addOption(new Option('--nginx-conf <file>', 'nginx main configuration (nginx -c)').hideHelp())
    .addOption(new Option('--nginx-prefix <dir>', 'nginx prefix (nginx -p)').hideHelp())
    .addOption(new Option('--nginx-error-log <file>', 'nginx error log (nginx -e)').hideHelp())
    .addOption(new Option('--certbot-dir <dir>', 'a private certbot: config, work and logs under this folder').hideHelp())
    .addOption(new Option('--acme-server <url>', 'ACME directory of another CA (a test CA)').hideHelp())
    .action(async (flags: SslFlags, command: Command) => run(flags, command));
  registerSslStatus(ssl);
  registerSslProbe(ssl);
}
