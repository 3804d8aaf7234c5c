import os from 'node:os';
import { postgisStatus } from '../db/postgis.js';
import { oneLine } from '../errors.js';
import { readSettings } from '../instance/settings.js';
import type { InstanceInfo } from '../instance/types.js';
import { diskOf, localCluster } from './gather/disk.js';
import { readNginx } from './gather/nginx.js';
import { readPostgres } from './gather/postgres.js';
import { readKernel, readMemory, readMounts, readNsswitch, resolveTilesPath } from './gather/system.js';
import { readWorkers } from './gather/workers.js';
import { evaluate, summarise } from './rules/index.js';
import { sampleConnections } from './sample.js';
import { instanceSslStatus } from '../ssl/instance-status.js';
import type { CheckupInputs, CheckupReport, ConnectionSamples, DjangoFacts, PostgresFacts } from './types.js';

export interface CheckupOptions {
  /** Connection samples for django.conn_max_age (default 10; 0 skips sampling). */
  samples?: number;
  intervalSeconds?: number;
  workers?: number;
  tilesPath?: string;
  dbRamBytes?: number;
  /** Read settings.py again instead of using the ones discovery read (after a change). */
  rereadSettings?: boolean;
  /** How nginx is asked (`-c file` in tests); the system's configuration by default. */
  nginxConfigArgs?: string[];
  onSample?: (series: number[]) => void;
  signal?: AbortSignal;
}

export const DEFAULT_SAMPLES = 10;
export const DEFAULT_INTERVAL_SECONDS = 1;

/** Is the database on this machine: the socket, a loopback address, or one of this host's own addresses. */
export function isLocalHost(host: string): boolean {
  if (host === '' || host.startsWith('/') || host === 'localhost' || host === '::1' || /^127\./.test(host)) return true;
  const mine = Object.values(os.networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
  return mine.includes(host) || host === os.hostname();
}

async function djangoFacts(info: InstanceInfo, reread: boolean): Promise<DjangoFacts> {
  const reading = reread ? await readSettings(info.layout) : info.settings;
  const s = reading.settings;
  return { debug: s.debug, allowedHosts: s.allowedHosts, connMaxAge: s.connMaxAge, settingsSource: reading.source };
}

async function dataDirectory(postgres: PostgresFacts, local: boolean, port: number): Promise<string | null> {
  if (!local) return null;
  return postgres.dataDirectory ?? (await localCluster(port))?.dataDir ?? null;
}

/** Gather every input concurrently: RAM, kernel, database, disk, settings, nginx, mounts. */
export async function gatherInputs(info: InstanceInfo, options: CheckupOptions = {}): Promise<Omit<CheckupInputs, 'samples'>> {
  const db = info.settings.settings.database;
  const dbLocal = isLocalHost(db.host);
  const postgresAndDisk = readPostgres(db).then(async (postgres) => ({
    postgres,
    disk: await diskOf(await dataDirectory(postgres, dbLocal, db.port)),
  }));
  const [memory, kernel, { postgres, disk }, django, nginx, mounts, tilesPath, nsswitch, ssl, postgis] = await Promise.all([
    readMemory(),
    readKernel(),
    postgresAndDisk,
    djangoFacts(info, options.rereadSettings === true),
    readNginx(options.nginxConfigArgs),
    readMounts(),
    resolveTilesPath(options.tilesPath),
    readNsswitch(),
    instanceSslStatus(info, { nginxConfigArgs: options.nginxConfigArgs }).catch(() => null),
    postgisStatus(db).catch((err: unknown) => ({ error: oneLine(err) })),
  ]);
  return {
    memory,
    dbRamBytes: options.dbRamBytes ?? null,
    dbLocal,
    dbHost: db.host || 'the local socket',
    kernel,
    postgres,
    disk,
    django,
    workers: readWorkers(info.layout.root, options.workers),
    nginx,
    mounts,
    tilesPath,
    nsswitch,
    ssl,
    postgis,
  };
}

/**
 * The whole checkup: the checks run while the connection count is sampled, so the wall time is the sampling
 * window (or, without sampling, the slowest gatherer). `checkMs` is the checks' own time.
 */
export async function runCheckup(info: InstanceInfo, options: CheckupOptions = {}): Promise<CheckupReport> {
  const startedAt = new Date();
  const samples = options.samples ?? DEFAULT_SAMPLES;
  const interval = options.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS;
  const t0 = performance.now();
  let checkMs = 0;
  const gathered = gatherInputs(info, options).then((inputs) => {
    checkMs = performance.now() - t0;
    return inputs;
  });
  const sampled: Promise<ConnectionSamples | null> =
    samples > 0
      ? sampleConnections({ db: info.settings.settings.database, samples, intervalMs: interval * 1000, onSample: options.onSample, signal: options.signal }).catch(() => null)
      : Promise.resolve(null);
  const [inputs, connectionSamples] = await Promise.all([gathered, sampled]);
  const t1 = performance.now();
  const checks = evaluate({ ...inputs, samples: connectionSamples });
  checkMs += performance.now() - t1;
  return {
    schema: 'catmaid-tui/checkup@1',
    instance: info.name,
    startedAt: startedAt.toISOString(),
    checkMs: Math.round(checkMs),
    sampling: connectionSamples
      ? { samples: connectionSamples.series.length, intervalSeconds: interval, series: connectionSamples.series, adminSessions: connectionSamples.adminSessions }
      : null,
    summary: summarise(checks),
    checks,
  };
}
