import type { Check, CheckupReport, CheckStatus } from './types.js';
import { GROUP_TITLES } from './types.js';

export const STATUS_SYMBOL: Record<CheckStatus, string> = { ok: '✓', warn: '!', fail: '✗', info: 'i' };

function groups(report: CheckupReport): [string, Check[]][] {
  const out: [string, Check[]][] = [];
  for (const check of report.checks) {
    const title = GROUP_TITLES[check.group];
    const last = out[out.length - 1];
    if (last && last[0] === title) last[1].push(check);
    else out.push([title, [check]]);
  }
  return out;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

function summaryLine(report: CheckupReport): string {
  const s = report.summary;
  return `✓ ${s.ok} ok · ! ${s.warn} warnings · ✗ ${s.fail} failures · › ${s.info} notes`;
}

function samplingLine(report: CheckupReport): string {
  if (!report.sampling) return 'connections not sampled';
  const { samples, intervalSeconds, series } = report.sampling;
  return `sampled ${samples} × ${intervalSeconds} s: ${series.join(' ')}`;
}

/** The report as Markdown: a table per group, then the details of everything that is not ok. */
export function toMarkdown(report: CheckupReport): string {
  const lines = [
    `# catmaid-tui checkup · ${report.instance}`,
    '',
    `${report.startedAt} · checks ${report.checkMs} ms · ${samplingLine(report)}`,
    '',
    summaryLine(report),
    '',
  ];
  for (const [title, checks] of groups(report)) {
    lines.push(`## ${title}`, '', '| | check | current | suggested |', '| --- | --- | --- | --- |');
    for (const c of checks) lines.push(`| ${STATUS_SYMBOL[c.status]} ${c.status} | \`${c.id}\` | ${cell(c.current)} | ${cell(c.suggested ?? '')} |`);
    lines.push('');
  }
  const details = report.checks.filter((c) => c.status !== 'ok');
  if (details.length) lines.push('## Details', '');
  for (const c of details) {
    lines.push(`### ${STATUS_SYMBOL[c.status]} ${c.id}`, '', c.why, '');
    if (c.series) lines.push(`Connections sampled: ${c.series.join(', ')}`, '');
    if (c.fix) lines.push(`Fix${c.fix.kind === 'manual' ? ' (by hand)' : ` (\`catmaid-tui checkup --apply ${c.id}\`)`}:`, '', '```', c.fix.text, '```', '');
    if (c.differsFromOldPage) lines.push(`Differs from the admin manual: ${c.differsFromOldPage}`, '');
    lines.push(`Source: ${c.source}`, '');
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** Plain text for a terminal: one line per check, grouped, then the summary. */
export function toText(report: CheckupReport): string {
  const width = Math.max(...report.checks.map((c) => c.id.length));
  const lines: string[] = [];
  for (const [title, checks] of groups(report)) {
    lines.push(title);
    for (const c of checks) {
      const arrow = c.suggested ? ` → ${c.suggested}` : '';
      lines.push(`  ${STATUS_SYMBOL[c.status]} ${c.id.padEnd(width)}  ${c.current}${arrow}`);
    }
  }
  lines.push('', `${summaryLine(report)} · checks ${report.checkMs} ms · ${samplingLine(report)}`);
  const fixable = report.checks.filter((c) => c.fix && c.fix.kind !== 'manual' && c.status !== 'ok');
  if (fixable.length) lines.push(`apply: catmaid-tui checkup --apply ${fixable.map((c) => c.id).join(' --apply ')}`);
  lines.push('details: catmaid-tui checkup --markdown');
  return `${lines.join('\n')}\n`;
}
