import path from 'node:path';
import readline from 'node:readline/promises';
import { Option, type Command } from 'commander';
import { RefusedError, UsageError, oneLine } from '../tasks/errors.js';
import { readLayout } from '../tasks/instance/layout.js';
import type { InstanceLayout } from '../tasks/instance/types.js';
import { applyDjangoSsl, previewDjangoSsl, type DjangoSslResult } from '../tasks/ssl/django-secure.js';
import { requireNginx } from '../tasks/ssl/nginx-version.js';
import { applySsl, planSsl, type SslPlan, type SslRequest, type SslResult } from '../tasks/ssl/plan.js';
import { hstsExplanation, planLines, resultLines } from '../tasks/ssl/report.js';
import { restartNginx } from '../tasks/ssl/restart.js';
import { defaultSelfSignedFiles } from '../tasks/ssl/self-signed.js';
import { readStaticSettings, type StaticSettings } from '../tasks/ssl/static-settings.js';
import { instanceOf, printJson } from './context.js';

interface SslFlags {
  serverName: string;
  cert?: string;
  key?: string;
  selfSigned?: boolean;
  upstream?: string;
  siteFile?: string;
  hsts?: boolean;
  write?: boolean;
  django?: boolean;
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
}

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`not a port: ${value}`);
  return n;
};

function certificateFiles(flags: SslFlags): SslRequest['files'] {
  if (flags.selfSigned) {
    if (!!flags.cert !== !!flags.key) throw new UsageError('--self-signed with --cert needs --key too (or neither)');
    return flags.cert && flags.key ? { certificate: path.resolve(flags.cert), key: path.resolve(flags.key) } : defaultSelfSignedFiles(flags.serverName);
  }
  if (!flags.cert || !flags.key) throw new UsageError('give --cert FILE and --key FILE, or --self-signed', 'catmaid-tui ssl --help');
  return { certificate: path.resolve(flags.cert), key: path.resolve(flags.key) };
}

/** The instance's layout when one can be found; the nginx part works without one. */
async function layoutOf(command: Command, needed: boolean): Promise<InstanceLayout | undefined> {
  try {
    return readLayout((await instanceOf(command)).root);
  } catch (err) {
    if (needed) throw err;
    return undefined;
  }
}

async function staticsOf(flags: SslFlags, layout: InstanceLayout | undefined, notes: string[]): Promise<Partial<StaticSettings>> {
  let fromDjango: Partial<StaticSettings> = {};
  if (layout) {
    fromDjango = await readStaticSettings(layout).catch((err: unknown) => {
      notes.push(`static folders not read from Django (${oneLine(err)}); old locations are kept`);
      return {};
    });
  }
  const pick = <T>(flag: T | undefined, value: T | undefined): T | undefined => flag ?? value;
  return {
    staticUrl: pick(flags.staticUrl, fromDjango.staticUrl ?? undefined),
    staticRoot: pick(flags.staticRoot, fromDjango.staticRoot ?? undefined),
    staticExtensionUrl: pick(flags.staticExtUrl, fromDjango.staticExtensionUrl ?? undefined),
    staticExtensionRoot: pick(flags.staticExtRoot, fromDjango.staticExtensionRoot ?? undefined),
  };
}

async function confirm(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes) return true;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

async function run(flags: SslFlags, command: Command): Promise<void> {
  if (flags.restart && !flags.write) throw new UsageError('--restart needs --write', 'nothing to restart for in a dry run');
  // Refused before anything is written, not after: there will be nobody to answer the question.
  if (flags.restart && !flags.yes && !process.stdin.isTTY) {
    throw new RefusedError('--restart asks for a confirmation and there is no terminal', 'add --yes, or restart nginx yourself');
  }
  const configArgs = [
    ...(flags.nginxConf ? ['-c', path.resolve(flags.nginxConf)] : []),
    ...(flags.nginxPrefix ? ['-p', path.resolve(flags.nginxPrefix)] : []),
  ];
  const layout = await layoutOf(command, flags.django === true);
  const notes: string[] = [];
  const request: SslRequest = {
    serverName: flags.serverName,
    files: certificateFiles(flags),
    selfSigned: flags.selfSigned === true,
    upstream: flags.upstream,
    siteFile: flags.siteFile ? path.resolve(flags.siteFile) : undefined,
    hsts: flags.hsts === true,
    nginx: requireNginx(configArgs),
    statics: await staticsOf(flags, layout, notes),
    listen: flags.listen || flags.httpsPort || flags.httpPort ? { address: flags.listen, httpsPort: flags.httpsPort, httpPort: flags.httpPort } : undefined,
  };
  const plan = await planSsl(request);
  plan.notes.push(...notes);
  const djangoDiff = flags.django && layout && !flags.write ? await previewDjangoSsl(layout) : undefined;
  if (!flags.write) return dryRun(plan, flags, djangoDiff);
  const result = await applySsl(plan);
  const django = flags.django && layout ? await applyDjangoSsl(layout) : undefined;
  const restarted = flags.restart ? await confirm(`Restart nginx now (${plan.restart.display})?`, flags.yes) : false;
  if (restarted) await restartNginx(plan.restart);
  report(plan, result, django, restarted, flags.json === true);
}

function dryRun(plan: SslPlan, flags: SslFlags, djangoDiff: string | undefined): void {
  const failed = plan.certificate?.checks.filter((c) => c.level === 'fail') ?? [];
  if (flags.json) printJson({ written: false, ...jsonPlan(plan), djangoDiff });
  else {
    const django = djangoDiff === undefined ? [] : ['', '--- settings.py ---', djangoDiff.trimEnd() || '(the SSL block is already there)'];
    process.stdout.write(`${[...planLines(plan), ...django, '', 'Dry run: nothing was written. Run again with --write to apply.'].join('\n')}\n`);
  }
  if (failed.length > 0) throw new RefusedError(`certificate check failed: ${failed.map((c) => c.message).join('; ')}`, '--write would refuse too');
}

function jsonPlan(plan: SslPlan) {
  const { request, reading, ...rest } = plan;
  return { ...rest, serverName: request.serverName, files: request.files, nginxBinary: request.nginx.binary, found: reading.servers, hsts: { enabled: request.hsts, explanation: hstsExplanation(request.hsts) } };
}

function report(plan: SslPlan, result: SslResult, django: DjangoSslResult | undefined, restarted: boolean, json: boolean): void {
  if (json) {
    printJson({ written: true, ...jsonPlan(plan), result, django, restart: { ...plan.restart, done: restarted } });
    return;
  }
  const lines = [...planLines(plan), '', ...resultLines(result)];
  if (django) {
    lines.push(django.changed ? `settings.py: SSL block written${django.backup ? ` (old file: ${django.backup})` : ''}; settings import.` : 'settings.py: SSL block already there; settings import.');
    lines.push(django.warnings.length === 0 ? 'manage.py check --deploy: no warnings.' : 'manage.py check --deploy still warns:');
    lines.push(...django.warnings.map((w) => `  ${w.id}: ${w.meaning}`));
  }
  lines.push(restarted ? 'nginx restarted.' : `New certificate files need a restart (a reload is not enough): ${plan.restart.display}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerSsl(program: Command): void {
  program
    .command('ssl')
    .description('HTTPS for CATMAID: a modern nginx TLS server block (and with --django the settings that go with it)')
    .requiredOption('--server-name <name>', 'the public host name, e.g. catmaid.example.org')
    .option('--cert <file>', 'certificate file (PEM; server certificate first, then intermediates)')
    .option('--key <file>', 'private key file (PEM, no passphrase)')
    .option('--self-signed', 'make a key and a self-signed certificate with openssl (for testing)')
    .option('--upstream <address>', 'where Django listens: 127.0.0.1:8000, unix:/path.sock, uwsgi://ADDRESS (default: from nginx)')
    .option('--site-file <path>', 'the nginx site file to write (default: the one holding CATMAID, else a new one)')
    .option('--hsts', 'send Strict-Transport-Security (read the risk in the output first)')
    .option('--write', 'write the files (without it: print the configuration and the diff only)')
    .option('--django', 'also set SESSION_COOKIE_SECURE, CSRF_COOKIE_SECURE, SECURE_PROXY_SSL_HEADER in settings.py')
    .option('--restart', 'restart nginx after writing (asks first)')
    .option('-y, --yes', 'do not ask before restarting')
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
    .action(async (flags: SslFlags, command: Command) => run(flags, command));
}
