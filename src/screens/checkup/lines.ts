import { truncate } from '../../components/theme.js';
import { STATUS_SYMBOL } from '../../tasks/checkup/report.js';
import { GROUP_TITLES, type Check, type CheckupReport } from '../../tasks/checkup/types.js';

const GROUP_WIDTH = 12;
const TITLE_WIDTH = 22;

/** One list line per check; the group's name only on its first line, as in the sketch. */
export function checkLine(checks: readonly Check[], index: number, width: number): string {
  const check = checks[index];
  const group = index === 0 || checks[index - 1].group !== check.group ? GROUP_TITLES[check.group] : '';
  const value = check.suggested ? `${check.current} → ${check.suggested}` : check.current;
  const line = `${group.padEnd(GROUP_WIDTH)} ${STATUS_SYMBOL[check.status]} ${truncate(check.title, TITLE_WIDTH).padEnd(TITLE_WIDTH)} ${value}`;
  return truncate(line, width);
}

export function headerText(report: CheckupReport | undefined): string {
  if (!report) return 'Checkup';
  const s = report.sampling;
  const sampled = s ? `sampled ${s.samples} × ${s.intervalSeconds} s` : 'not sampled';
  return `Checkup · ${sampled} · checks ${report.checkMs} ms`;
}

export function summaryText(report: CheckupReport): string {
  const s = report.summary;
  return `✓ ${s.ok}   ! ${s.warn}   ✗ ${s.fail}   › ${s.info}`;
}

/** The detail pane: why, the connection series, the fix, where the old manual differs, the source. */
export function detailLines(check: Check): string[] {
  const lines = [`${check.id} · ${check.status}`, check.why];
  if (check.series) lines.push(`connections sampled: ${check.series.join(' ')}`);
  if (check.fix) {
    lines.push(check.fix.kind === 'manual' ? 'fix (by hand):' : 'fix (a to apply):');
    lines.push(...check.fix.text.split('\n').map((l) => `  ${l}`));
  }
  if (check.differsFromOldPage) lines.push(`differs from the admin manual: ${check.differsFromOldPage}`);
  lines.push(`source: ${check.source}`);
  return lines;
}

export function applicable(check: Check | undefined): boolean {
  return Boolean(check?.fix && check.fix.kind !== 'manual' && check.status !== 'ok');
}
