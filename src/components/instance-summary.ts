import { formatBytes } from '../tasks/bytes.js';
import { formatConnMaxAge, formatServers } from './format.js';
import type { Tone } from './theme.js';
import { databaseLabel, gitSummary } from './TitleBar.js';
import type { InstanceInfo } from '../tasks/instance/types.js';

/** One line of Home's instance summary: a label, an optional state symbol, and the text. */
export interface SummaryRow {
  label: string;
  tone?: Tone;
  text: string;
  /** Cut to one line instead of wrapping (notices). */
  cut?: boolean;
}

function relative(info: InstanceInfo, file: string): string {
  const root = info.layout.root.endsWith('/') ? info.layout.root : `${info.layout.root}/`;
  return file.startsWith(root) ? file.slice(root.length) : file;
}

/** What Home says about an instance, as plain data (the view only lays it out). */
export function summaryRows(info: InstanceInfo): SummaryRow[] {
  const { version, where } = gitSummary(info);
  const rows: SummaryRow[] = [{ label: 'Root', text: info.layout.root }];
  if ('error' in info.git) {
    rows.push({ label: 'Git', tone: 'warn', text: where });
  } else {
    rows.push({ label: 'Version', text: version });
    rows.push({ label: 'Release', text: info.git.latestRelease ?? 'no YYYY.MM.DD tag reachable from HEAD' });
    rows.push(
      info.git.dirty
        ? { label: 'Git', tone: 'warn', text: `${where} · dirty (${info.git.changes.length} changed)` }
        : { label: 'Git', tone: 'ok', text: `${where} · clean` },
    );
  }
  rows.push(
    info.layout.virtualenv
      ? { label: 'Python', tone: 'ok', text: `${relative(info, info.layout.python)} (virtualenv)` }
      : { label: 'Python', tone: 'warn', text: `${info.layout.python} (no virtualenv django/env)` },
  );
  const { settings } = info;
  rows.push(
    settings.source === 'django'
      ? { label: 'Settings', tone: 'ok', text: 'read by Django' }
      : { label: 'Settings', tone: 'warn', text: `read statically: ${settings.fallbackReason ?? 'Django import failed'}` },
  );
  const db = info.database;
  rows.push(
    db.reachable
      ? { label: 'Database', tone: 'up', text: `up · ${databaseLabel(info).slice(3)}` }
      : { label: 'Database', tone: 'down', text: `down · ${db.error ?? 'not reachable'}` },
  );
  if (db.reachable) {
    const size = db.sizeBytes === undefined ? '' : ` · ${formatBytes(db.sizeBytes)}`;
    rows.push({ label: 'PostgreSQL', text: `${db.serverVersion ?? 'version unknown'}${size}` });
  }
  rows.push(
    info.servers.length > 0
      ? { label: 'Server', tone: 'up', text: `${formatServers(info.servers)} running` }
      : { label: 'Server', tone: 'idle', text: 'not running' },
  );
  const s = settings.settings;
  rows.push({
    label: 'Django',
    tone: s.debug ? 'warn' : undefined,
    text: `CONN_MAX_AGE ${formatConnMaxAge(s.connMaxAge)} · DEBUG ${s.debug ? 'True' : 'False'}`,
  });
  return rows;
}
