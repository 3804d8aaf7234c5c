import fs from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { UsageError } from '../tasks/errors.js';
import { locateInstance } from '../tasks/instance/locate.js';
import { readSettings } from '../tasks/instance/settings.js';
import { readLayout } from '../tasks/instance/layout.js';
import { probeSite, type ProbeReport } from '../tasks/ssl/probe/probe.js';
import { probeLines } from '../tasks/ssl/probe/lines.js';
import { runTestssl, type TestsslResult } from '../tasks/ssl/probe/testssl.js';
import { readSslRecord } from '../tasks/ssl/record.js';
import { globalsOf, printJson } from './context.js';

interface ProbeFlags {
  connect?: string;
  httpPort?: number;
  caFile?: string[];
  testssl?: boolean;
  json?: boolean;
}

/** The URL to probe when none is given: the one catmaid-tui set up, else the first host in ALLOWED_HOSTS. */
async function defaultUrl(command: Command): Promise<string> {
  try {
    const located = await locateInstance({ catmaidDir: globalsOf(command).catmaidDir });
    const record = readSslRecord(located.root);
    if (record) return record.url;
    const hosts = (await readSettings(readLayout(located.root))).settings.allowedHosts.filter((h) => h !== '*' && !h.startsWith('.') && h !== 'localhost');
    if (hosts[0]) return `https://${hosts[0]}/`;
  } catch {
    // no instance here: the URL must be given
  }
  throw new UsageError('no URL to probe', 'catmaid-tui ssl probe https://catmaid.example.org/');
}

const port = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new UsageError(`not a port: ${value}`);
  return n;
};

export function registerSslProbe(ssl: Command): void {
  ssl
    .command('probe [url]')
    .description('test the live site: protocols (1.0/1.1 must fail), ciphers, chain and name, expiry, OCSP stapling, HSTS, http → https, HTTP/2, with a grade')
    .option('--connect <address>', 'connect to this address instead of resolving the name (the name still goes in SNI and Host)')
    .option('--http-port <port>', 'port of the plain-http site for the redirect check (default 80)', port)
    .option('--ca-file <file>', 'also trust this CA certificate (PEM), e.g. an in-house CA; repeatable', (v: string, all: string[] = []) => [...all, v])
    .option('--testssl', 'also run testssl.sh when it is installed (takes minutes)')
    .option('--json', 'print the report as JSON')
    .addOption(new Option('--no-default').hideHelp())
    .action(async (url: string | undefined, flags: ProbeFlags, command: Command) => {
      const target = url ?? (await defaultUrl(command));
      const ca = await Promise.all((flags.caFile ?? []).map((f) => fs.readFile(f, 'utf8').catch(() => {
        throw new UsageError(`--ca-file ${f}: cannot read it`);
      })));
      const report = await probeSite({ url: target, connect: flags.connect, httpPort: flags.httpPort, ca });
      let testssl: TestsslResult | undefined;
      if (flags.testssl) {
        const u = new URL(report.url);
        testssl = await runTestssl(u.hostname, Number(u.port || 443), { connect: flags.connect, caFiles: flags.caFile });
      }
      if (flags.json) return printJson({ ...report, ...(flags.testssl ? { testssl: testssl ?? null } : {}) } satisfies ProbeReport & { testssl?: TestsslResult | null });
      process.stdout.write(`${probeLines(report, flags.testssl ? testssl ?? null : undefined).join('\n')}\n`);
    });
}
