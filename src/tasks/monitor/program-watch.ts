import fs from 'node:fs';
import path from 'node:path';
import { findServerProcesses } from '../instance/processes.js';
import type { ServerProcess } from '../instance/types.js';
import { ProcessMap } from './process-map.js';
import { summarizePrograms, type ProgramCount } from './program-summary.js';
import { processFacts } from './programs.js';
import type { Session } from './types.js';
import { readStats, statsAddress, type UwsgiStats } from './uwsgi-stats.js';
import { countWorkers, parentPid, type WorkerCount } from './workers.js';

/**
 * The instance's programs as the monitor sees them on each refresh: every session labelled with its process,
 * the server processes and their worker threads (a /proc scan every `serversEveryMs`), and uWSGI's stats
 * server when it has one (read every `statsEveryMs`).
 */
export interface ProgramWatchOptions {
  port: number;
  root?: string;
  serversEveryMs?: number;
  statsEveryMs?: number;
  findServers?: (root: string) => ServerProcess[];
  proc?: string;
}

export const NO_WORKERS: WorkerCount = { workers: null, processes: 0, threads: 1, kinds: [] };

export class ProgramWatch {
  private readonly map: ProcessMap;
  private servers: ServerProcess[] = [];
  private serversAt = -Infinity;
  private statsAt = -Infinity;
  private statsAddress: string | null = null;
  workers: WorkerCount = NO_WORKERS;
  uwsgi: UwsgiStats | null = null;
  private uwsgiIds = new Map<number, number>();

  constructor(private readonly options: ProgramWatchOptions) {
    this.map = new ProcessMap({ port: options.port, proc: options.proc, uwsgiWorkers: () => this.uwsgiIds });
  }

  /** Label `sessions` in place (their `process`), refreshing servers and stats when due. */
  async label(sessions: Session[], now = Date.now()): Promise<void> {
    const { root } = this.options;
    if (root && now - this.serversAt >= (this.options.serversEveryMs ?? 30_000)) {
      this.servers = (this.options.findServers ?? findServerProcesses)(root);
      this.workers = countWorkers(this.servers, (pid) => parentPid(pid, this.options.proc));
      this.statsAddress = this.findStatsAddress();
      this.serversAt = now;
    }
    if (this.statsAddress && now - this.statsAt >= (this.options.statsEveryMs ?? 2000)) {
      this.statsAt = now;
      // A busy master may miss one read: the last answer stays until the next one.
      const stats = await readStats(this.statsAddress, 2000);
      if (stats) {
        const before = this.uwsgiIds;
        this.uwsgi = stats;
        this.uwsgiIds = new Map(stats.workers.map((w) => [w.pid, w.id]));
        if ([...this.uwsgiIds].some(([pid, id]) => before.get(pid) !== id)) this.map.relabel();
      }
    }
    const processes = await this.map.map(sessions);
    for (const s of sessions) s.process = processes.get(s.pid) ?? null;
  }

  programs(sessions: readonly Session[]): ProgramCount[] {
    return summarizePrograms(sessions, this.workers, this.uwsgi);
  }

  /** The master's (or any uWSGI process's) `stats` option. */
  private findStatsAddress(): string | null {
    for (const server of this.servers.filter((s) => s.kind === 'uwsgi')) {
      const facts = processFacts(server.pid, this.options.proc);
      if (!facts) continue;
      let cwd = '/';
      try {
        cwd = fs.readlinkSync(path.join(this.options.proc ?? '/proc', String(server.pid), 'cwd'));
      } catch {
        // another user's process: relative ini paths stay unresolved
      }
      const address = statsAddress(facts.argv, cwd);
      if (address) return address;
    }
    return null;
  }
}
