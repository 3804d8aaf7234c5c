import type { Tone } from '../../components/theme.js';
import { formatBytes } from '../../tasks/bytes.js';
import { formatAge } from '../../tasks/backup/list.js';
import type { BackupOverview, RunOverview } from '../../tasks/backup/overview.js';
import { chunk, runTime } from './schedule-lines.js';

/** One row of the Backup screen's overview: a label, a state when it has one, the text. */
export interface OverviewRow {
  label: string;
  tone?: Tone;
  text: string;
}

/** A row and how much it matters: when rows must go for room, the least important go first. */
type Ranked = OverviewRow & { rank: number };

/** Rows a failure's reason may take beyond its first (`backups --json` has it whole). */
const REASON_ROWS = 2;

/** `30 Nov 02:15`: a run's time, short. */
const shortTime = (iso: string): string => runTime(new Date(iso)).replace(/^\w{3} /, '').replace(/ \d{4} /, ' ');

function runRows(run: RunOverview, first: boolean, width: number, now: Date): Ranked[] {
  const when = `${shortTime(run.startedAt)}${run.trigger === 'manual' ? ' (by hand)' : ''}`;
  const label = first ? 'Last runs' : '';
  const rank = first ? 3 : 9;
  if (run.state === 'ok') return [{ label, rank, tone: 'ok', text: `${when} ok${run.sizeBytes !== null ? ` · ${formatBytes(run.sizeBytes)}` : ''}` }];
  if (run.state === 'running') return [{ label, rank, tone: 'info', text: `${when} running for ${formatAge(now.getTime() - new Date(run.startedAt).getTime())}` }];
  // A failure's reason is what the admin came for: up to two more rows, ranked just after the run's own.
  const [head, ...rest] = chunk(`${when} ${run.state}: ${run.reason ?? ''}`, width - 2);
  const more = rest.slice(0, REASON_ROWS).map((text, i) => ({ label: '', rank: rank + 0.5, text: `  ${text}${i === REASON_ROWS - 1 && rest.length > REASON_ROWS ? ' …' : ''}` }));
  return [{ label, rank, tone: 'fail', text: head }, ...more];
}

function retentionRows(o: BackupOverview): Ranked[] {
  const r = o.retention;
  if (!r) return o.schedule ? [{ label: 'Retention', rank: 4, tone: 'idle', text: 'keep all: the schedule removes no backup' }] : [];
  const rows: Ranked[] = [
    { label: 'Retention', rank: 4, tone: r.remove.length ? 'warn' : 'ok', text: `${r.text} · next prune removes ${r.remove.length || 'nothing'}, keeps ${r.keep.length}${r.pinned.length ? ` · ⚑ ${r.pinned.length} pinned` : ''}` },
  ];
  r.remove.forEach((b) => rows.push({ label: '', rank: 8, text: `  − ${b.name}` }));
  r.pinned.forEach((b) => rows.push({ label: '', rank: 8, text: `  ⚑ ${b.name} (${b.kind}): ${b.why}` }));
  return rows;
}

/**
 * The overview as rows within `room` rows of `width`: the schedule and its policy, the last runs (a failure with
 * its reason), what the next prune removes (pinned backups marked ⚑), encryption and the copy targets. What does
 * not fit goes, least important first (older runs, the names behind the figures). Pure: the screen draws them.
 */
export function overviewRows(o: BackupOverview, room: number, width: number, now = new Date()): OverviewRow[] {
  const rows: Ranked[] = [];
  const s = o.schedule;
  if (s) {
    const next = s.nextRuns[0] ? ` · next ${shortTime(s.nextRuns[0])}` : '';
    rows.push({ label: 'Schedule', rank: 1, tone: 'ok', text: `${s.at} (cron)${next} → ${s.outDir ?? o.folder}` });
    rows.push({ label: 'Policy', rank: 2, text: `${s.words.retention} · ${s.words.restoreTest} · ${s.words.notify}` });
  } else {
    rows.push({ label: 'Schedule', rank: 1, tone: 'warn', text: 'no scheduled backup: the Schedule screen sets one up' });
  }
  if (o.runs.length === 0) rows.push({ label: 'Last runs', rank: 3, tone: 'idle', text: 'none recorded yet' });
  o.runs.forEach((run, i) => rows.push(...runRows(run, i === 0, width, now)));
  rows.push(...retentionRows(o));
  if (s) {
    const e = o.encryption;
    const count = (n: number) => `${n} recipient${n === 1 ? '' : 's'}`;
    rows.push(
      e
        ? { label: 'Encryption', rank: 5, tone: e.recipients.length ? 'ok' : 'fail', text: `age → ${count(e.recipients.length)} (${e.recipientsFile}) · ${e.encryptedBackups} encrypted` }
        : { label: 'Encryption', rank: 5, tone: 'idle', text: 'not encrypted' },
    );
    if (o.copies.length === 0) rows.push({ label: 'Copies', rank: 6, tone: 'idle', text: 'no copy targets' });
    o.copies.forEach((c, i) =>
      rows.push({
        label: i === 0 ? 'Copies' : '',
        rank: i === 0 ? 6 : 7,
        tone: c.copied === c.of ? 'ok' : 'warn',
        text: `${c.destination}: ${c.copied} of ${c.of} copied${c.lastAt ? `, last ${formatAge(now.getTime() - new Date(c.lastAt).getTime())} ago` : ''}`,
      }),
    );
  }
  const kept = new Set([...rows].sort((a, b) => a.rank - b.rank).slice(0, Math.max(0, room)));
  return rows.filter((row) => kept.has(row)).map(({ rank: _rank, ...row }) => row);
}
