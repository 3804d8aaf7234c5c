import type { Command } from 'commander';
import { layoutTable } from '../components/table-layout.js';
import { CliError, UsageError } from '../tasks/errors.js';
import { discoverInstance } from '../tasks/instance/index.js';
import { monitorDefaults } from '../screens/monitor/defaults.js';
import { openWizard } from './wizard.js';
import type { InstanceInfo } from '../tasks/instance/types.js';
import { MonitorSession, type MonitorState } from '../tasks/monitor/session.js';
import { instanceOf, printJson } from './context.js';

interface MonitorFlags {
  interval: string;
  once?: boolean;
  json?: boolean;
  allDatabases?: boolean;
}

export function parseInterval(text: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0.5 || seconds > 10) {
    throw new UsageError(`--interval must be between 0.5 and 10 seconds, not ${text}`);
  }
  return Math.round(seconds * 1000);
}

/** What `--once --json` prints: one snapshot with rates over one interval. The password is never in it. */
export function snapshotJson(state: MonitorState) {
  const snap = state.snapshot!;
  return {
    takenAt: new Date(snap.takenAt).toISOString(),
    server: state.server,
    role: state.role,
    connMaxAge: state.connMaxAge,
    workers: state.workers,
    counts: snap.counts,
    rates: state.rates,
    sizeBytes: state.sizeBytes,
    sessions: snap.sessions,
  };
}

function printText(state: MonitorState): void {
  const snap = state.snapshot!;
  const c = snap.counts;
  const out = [
    `PostgreSQL ${state.server?.version} · ${c.clusterTotal}/${state.server?.maxConnections} connections · ` +
      `${state.rates.tps === null ? '-' : state.rates.tps.toFixed(1)} tps · cache hit ` +
      `${state.rates.cacheHit === null ? '-' : `${(state.rates.cacheHit * 100).toFixed(1)}%`}`,
    `active ${c.active} · idle ${c.idle} · idle in transaction ${c.idleInTransaction} · aborted ` +
      `${c.idleInTransactionAborted} · waiting ${c.waiting}${c.hidden ? ` · hidden ${c.hidden}` : ''}`,
    `${state.role}: ${c.role} connections · workers ${state.workers.workers ?? 'none found'} · CONN_MAX_AGE ${state.connMaxAge ?? 'None'}`,
  ];
  const busy = snap.sessions.filter((s) => s.state !== 'idle');
  const { header, lines } = layoutTable(
    [
      { header: 'PID', width: 7, align: 'right', value: (s) => String(s.pid) },
      { header: 'USER', width: 14, value: (s) => s.user ?? 'hidden' },
      { header: 'APP', width: 14, value: (s) => s.app },
      { header: 'STATE', width: 29, value: (s) => s.state ?? 'hidden' },
      { header: 'BLOCKED BY', width: 10, value: (s) => s.blockedBy.join(',') },
      { header: 'QUERY', value: (s) => s.query ?? '' },
    ],
    busy,
    process.stdout.columns || 120,
  );
  process.stdout.write([...out, '', header, ...lines, ''].join('\n'));
}

async function once(info: InstanceInfo, intervalMs: number, flags: MonitorFlags): Promise<void> {
  const { database, connMaxAge } = info.settings.settings;
  const session = new MonitorSession({ db: database, connMaxAge, root: info.layout.root, allDatabases: flags.allDatabases });
  try {
    const first = await session.refresh();
    if (!first.status.connected) {
      throw new CliError(`cannot reach the database ${database.name}: ${first.status.lastError}`, undefined,
        'is PostgreSQL running? see: catmaid-tui info');
    }
    // Rates need two samples.
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
    const state = await session.refresh();
    if (!state.snapshot) throw new CliError(`lost the database: ${state.status.lastError}`);
    if (flags.json) printJson(snapshotJson(state));
    else printText(state);
  } finally {
    await session.close();
  }
}

/** `catmaid-tui monitor`: the Monitor screen, or one snapshot for scripts. */
export function registerMonitor(program: Command): void {
  program
    .command('monitor')
    .description('live database connections: counts, rates, sessions, connection-leak watch')
    .option('--interval <seconds>', 'refresh interval, 0.5 to 10', '1')
    .option('--once', 'take one snapshot (rates over one interval) and exit')
    .option('--json', 'with --once: machine-readable output')
    .option('--all-databases', 'sessions of every database, not only the instance’s')
    .action(async (flags: MonitorFlags, command: Command) => {
      const intervalMs = parseInterval(flags.interval);
      if (flags.json && !flags.once) throw new UsageError('--json needs --once', 'catmaid-tui monitor --once --json');
      const located = await instanceOf(command);
      if (flags.once) {
        await once(await discoverInstance(located, { database: false }), intervalMs, flags);
        return;
      }
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new UsageError('the monitor screen needs a terminal', 'for scripts: catmaid-tui monitor --once --json');
      }
      monitorDefaults.intervalMs = intervalMs;
      monitorDefaults.allDatabases = flags.allDatabases === true;
      await openWizard([located], 'monitor');
    });
}
