import fs from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { writeFileAtomic } from '../atomic-write.js';
import { CliError, EXIT, oneLine } from '../errors.js';
import type { TaskLog } from '../task-log.js';
import { checkEmail, checkServerName } from './quote.js';
import type { RestartPlan } from './restart.js';

/**
 * Let's Encrypt through certbot (Debian's package) with the webroot method: nginx keeps running and serves the
 * challenge files from a folder certbot writes into. Renewal is certbot's own timer or cron job; catmaid-tui adds
 * the deploy hook that restarts nginx after a renewal.
 */
export interface CertbotSetup {
  binary: string;
  /** certbot's --config-dir (live/, renewal/, renewal-hooks/): /etc/letsencrypt unless a private one is used. */
  configDir: string;
  /** For a private certbot (tests, an ordinary user): --work-dir and --logs-dir too. */
  workDir?: string;
  logsDir?: string;
  /** The ACME directory, when not Let's Encrypt's (a test CA). */
  server?: string;
}

export const SYSTEM_CERTBOT: CertbotSetup = { binary: 'certbot', configDir: '/etc/letsencrypt' };

/** A certbot that keeps all its files under `dir` (config, work, logs). */
export function privateCertbot(dir: string, server?: string): CertbotSetup {
  return { binary: 'certbot', configDir: path.join(dir, 'config'), workDir: path.join(dir, 'work'), logsDir: path.join(dir, 'logs'), server };
}

export function certbotArgs(setup: CertbotSetup): string[] {
  return [
    '--config-dir', setup.configDir,
    ...(setup.workDir ? ['--work-dir', setup.workDir] : []),
    ...(setup.logsDir ? ['--logs-dir', setup.logsDir] : []),
    ...(setup.server ? ['--server', setup.server] : []),
  ];
}

/** The files nginx uses: certbot keeps them current under live/<name>/. */
export function liveFiles(setup: CertbotSetup, name: string): { certificate: string; key: string; chain: string } {
  const dir = path.join(setup.configDir, 'live', checkServerName(name));
  return { certificate: path.join(dir, 'fullchain.pem'), key: path.join(dir, 'privkey.pem'), chain: path.join(dir, 'chain.pem') };
}

async function runCertbot(setup: CertbotSetup, args: string[], log?: TaskLog): Promise<string> {
  const argv = [...args, ...certbotArgs(setup)];
  log?.command(setup.binary, argv);
  const result = await execa(setup.binary, argv, { reject: false, all: true, timeout: 600_000 });
  log?.output(`${result.all ?? ''}`);
  if (result.failed && result.exitCode === undefined) {
    throw new CliError(`${setup.binary} could not run`, EXIT.failed, 'install it: apt install certbot');
  }
  if (result.exitCode !== 0) {
    const lines = `${result.all ?? ''}`.split('\n').filter((l) => /error|detail|problem|fail/i.test(l));
    throw new CliError(`certbot ${args[0]} failed`, EXIT.failed, oneLine(lines.slice(-3).join(' ') || `exit ${result.exitCode}`));
  }
  return `${result.all ?? ''}`;
}

/** Obtain (or keep, when not yet due) the certificate for `name`, proving the domain through `webroot`. */
export async function obtainCertificate(setup: CertbotSetup, request: { name: string; email: string; webroot: string }, log?: TaskLog): Promise<string> {
  const args = ['certonly', '--webroot', '-w', request.webroot, '-d', checkServerName(request.name), '--cert-name', request.name];
  args.push('--email', checkEmail(request.email), '--agree-tos', '--no-eff-email', '--non-interactive', '--keep-until-expiring');
  return runCertbot(setup, args, log);
}

const sh = (value: string): string => `'${value.replace(/'/g, `'\\''`)}'`;

export function renewalHookPath(setup: CertbotSetup, name: string): string {
  return path.join(setup.configDir, 'renewal-hooks', 'deploy', `catmaid-tui-nginx-${checkServerName(name)}`);
}

/** The deploy hook: after certbot renewed *this* certificate, restart the nginx that serves it. */
export function renewalHook(setup: CertbotSetup, name: string, restart: RestartPlan): string {
  const lineage = path.join(setup.configDir, 'live', name);
  const nginx = [restart.nginx.binary, ...restart.nginx.configArgs].map(sh).join(' ');
  const body =
    restart.how === 'systemctl'
      ? ['systemctl restart nginx']
      : [
          `${nginx} -t -q`,
          `${nginx} -s stop || true`,
          '# The old master lets go of its ports within a second or two.',
          'tries=0',
          `until ${nginx}; do`,
          '  tries=$((tries + 1))',
          '  [ "$tries" -lt 20 ] || exit 1',
          '  sleep 0.5',
          'done',
        ];
  return [
    '#!/bin/sh',
    `# Installed by catmaid-tui (ssl --acme) for ${name}: certbot runs this after renewing a certificate.`,
    "# nginx uses new certificate files only after a restart (CATMAID's administration manual).",
    'set -e',
    `[ "$RENEWED_LINEAGE" = ${sh(lineage)} ] || exit 0`,
    ...body,
    `echo "catmaid-tui: nginx restarted for the renewed certificate of ${name}"`,
    '',
  ].join('\n');
}

/** Write the hook (0755) where certbot looks for deploy hooks; unchanged when it is already there. */
export async function installRenewalHook(setup: CertbotSetup, name: string, restart: RestartPlan): Promise<{ file: string; changed: boolean }> {
  const file = renewalHookPath(setup, name);
  const content = renewalHook(setup, name, restart);
  const old = await fs.readFile(file, 'utf8').catch(() => null);
  if (old === content) return { file, changed: false };
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o755 });
  await writeFileAtomic(file, content, { mode: 0o755 });
  return { file, changed: true };
}
