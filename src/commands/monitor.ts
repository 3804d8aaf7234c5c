import type { Command } from 'commander';
import { layoutTable } from '../components/table-layout.js';
import { CliError, UsageError } from '../tasks/errors.js';
import { discoverInstance } from '../tasks/instance/index.js';
import { monitorDefaults } from '../screens/monitor/defaults.js';
import { openWizard } from './wizard.js';
import type { InstanceInfo } from '../tasks/instance/types.js';
import { toCsv } from '../tasks/monitor/export.js';
import { DURATION_MODES, parseDuration, parseFilter, selectSessions, type DurationMode, type Selection } from '../tasks/monitor/filter.js';
import { programLine } from '../tasks/monitor/program-summary.js';
import { MonitorSession, type MonitorState } from '../tasks/monitor/session.js';
import type { Session } from '../tasks/monitor/types.js';
import { horizonText, replicationText } from '../screens/monitor/status-text.js';
import { instanceOf, printJson } from './context.js';

interface MonitorFlags {
  interval: string;
  once?: boolean;
  json?: boolean;
  csv?: boolean;
  allDatabases?: boolean;
  filter?: string[];
  minDuration?: string;
  duration: string;
}

function durationMode(text: string): DurationMode {
  if ((DURATION_MODES as readonly string[]).includes(text)) return text as DurationMode;
  throw new UsageError(`--duration is one of ${DURATION_MODES.join(', ')}, not "${text}"`);
}

/** The rows the flags select, checked before anything connects: a bad filter is exit 2 at once. */
function selectionOf(flags: MonitorFlags): Selection {
  return {
    terms: parseFilter((flags.filter ?? []).join(' ')),
    minDuration: flags.minDuration === undefined ? 0 : parseDuration(flags.minDuration),
    mode: durationMode(flags.duration),
  };
}

export function parseInterval(text: string): number {
  const seconds = Number(text);
  if (!Number.isFinite(seconds) || seconds < 0.5 || seconds > 10) {
    throw new UsageError(`--interval must be between 0.5 and 10 seconds, not ${text}`);
  }
  return Math.round(seconds * 1000);
}

/**
 * What `--once --json` prints: one snapshot with rates over one interval; `sessions` are those the filter and
 * minimum duration select (the counts stay those of every session). The password is never in it.
 */
export function snapshotJson(state: MonitorState, sessions: Session[]) {
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
    programs: state.programs,
    uwsgi: state.uwsgi,
    horizon: state.horizon,
    replication: state.replication,
    sessions,
  };
}

function printText(state: MonitorState, sessions: Session[]): void {
  const snap = state.snapshot!;
  const c = snap.counts;
  const out = [
    `PostgreSQL ${state.server?.version} · ${c.clusterTotal}/${state.server?.maxConnections} connections · ` +
      `${state.rates.tps === null ? '-' : state.rates.tps.toFixed(1)} tps · cache hit ` +
      `${state.rates.cacheHit === null ? '-' : `${(state.rates.cacheHit * 100).toFixed(1)}%`}`,
    `active ${c.active} · idle ${c.idle} · idle in transaction ${c.idleInTransaction} · aborted ` +
      `${c.idleInTransactionAborted} · waiting ${c.waiting}${c.hidden ? ` · hidden ${c.hidden}` : ''}`,
    `${state.role}: ${c.role} connections · workers ${state.workers.workers ?? 'none found'} · CONN_MAX_AGE ${state.connMaxAge ?? 'None'}`,
    ...(state.programs.length > 0 ? [`programs: ${programLine(state.programs)}`] : []),
    ...[horizonText(state.horizon), replicationText(state.replication)].filter((line): line is string => line !== null),
  ];
  const busy = sessions.filter((s) => s.state !== 'idle');
  const { header, lines } = layoutTable(
    [
      { header: 'PID', width: 7, align: 'right', value: (s) => String(s.pid) },
      { header: 'USER', width: 14, value: (s) => s.user ?? 'hidden' },
      { header: 'PROGRAM', width: 16, value: (s) => s.process?.label ?? s.app },
      { header: 'STATE', width: 29, value: (s) => s.state ?? 'hidden' },
      { header: 'BLOCKED BY', width: 10, value: (s) => s.blockedBy.join(',') },
      { header: 'QUERY', value: (s) => s.query ?? '' },
    ],
    busy,
    process.stdout.columns || 120,
  );
  process.stdout.write([...out, '', header, ...lines, ''].join('\n'));
}

async function once(info: InstanceInfo, intervalMs: number, flags: MonitorFlags, selection: Selection): Promise<void> {
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
    const rows = selectSessions(state.snapshot.sessions, selection);
    if (flags.json) printJson(snapshotJson(state, rows));
    else if (flags.csv) process.stdout.write(toCsv(rows));
    else printText(state, rows);
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
    .option('--csv', 'with --once: the sessions as CSV (the columns of the screen\'s e export)')
    .option('--all-databases', 'sessions of every database, not only the instance’s')
    .option('--filter <column:regex>', 'only sessions matching (db, user, app, program, state, query; repeatable)',
      (value: string, previous: string[] = []) => [...previous, value])
    .option('--min-duration <seconds>', 'only sessions at least this long (5, 30s, 2min) in the duration mode')
    .option('--duration <mode>', 'duration of the query, the transaction or the backend (connection)', 'query')
    .action(async (flags: MonitorFlags, command: Command) => {
      const intervalMs = parseInterval(flags.interval);
      if ((flags.json || flags.csv) && !flags.once) throw new UsageError('--json and --csv need --once', 'catmaid-tui monitor --once --json');
      if (flags.json && flags.csv) throw new UsageError('--json or --csv, not both');
      const selection = selectionOf(flags);
      const located = await instanceOf(command);
      if (flags.once) {
        await once(await discoverInstance(located, { database: false }), intervalMs, flags, selection);
        return;
      }
      if (!process.stdin.isTTY || !process.stdout.isTTY) {
        throw new UsageError('the monitor screen needs a terminal', 'for scripts: catmaid-tui monitor --once --json');
      }
      monitorDefaults.intervalMs = intervalMs;
      monitorDefaults.allDatabases = flags.allDatabases === true;
      monitorDefaults.filter = (flags.filter ?? []).join(' ');
      monitorDefaults.minDuration = selection.minDuration;
      monitorDefaults.mode = selection.mode;
      await openWizard([located], 'monitor');
    });
}
