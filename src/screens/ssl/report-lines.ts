import type { Tone } from '../../components/theme.js';
import type { ApplyOutcome, PlanOutcome } from '../../hooks/useSsl.js';
import { probeLines } from '../../tasks/ssl/probe/lines.js';
import type { ProbeReport } from '../../tasks/ssl/probe/probe.js';
import { certificateLines, hstsExplanation, planLines, restartLine, resultLines } from '../../tasks/ssl/report.js';

/** Lines for the scrolling panes: what the command prints, with a summary of the checks on top. */

export function applyRefusal(outcome: PlanOutcome): string | undefined {
  const failed = outcome.plan.certificate?.checks.filter((c) => c.level === 'fail') ?? [];
  if (outcome.plan.problems.length > 0) return `cannot fit the site: ${outcome.plan.problems.join('; ')}`;
  return failed.length > 0 ? `certificate check failed: ${failed.map((c) => c.message).join('; ')}` : undefined;
}

function certificateSummary(outcome: PlanOutcome): string {
  const { plan } = outcome;
  if (plan.request.acme && !plan.certificate) return "› certificate: from Let's Encrypt when applying (nginx serves the challenge, a self-check first), then checked";
  if (!plan.certificate) return '› certificate: self-signed, made (key mode 0600) when applying, then checked';
  const checks = plan.certificate.checks;
  const count = (level: string) => checks.filter((c) => c.level === level).length;
  return `${count('fail') > 0 ? '✗' : count('warn') > 0 ? '!' : '✓'} certificate: ${count('ok')} ok · ${count('warn')} warning(s) · ${count('fail')} failed`;
}

export function planViewLines(outcome: PlanOutcome): string[] {
  const { plan, django } = outcome;
  const djangoLine = !django
    ? '· Django settings: not changed (the toggle is off)'
    : django.diff
      ? '› Django settings: settings.py gets the SSL block (diff at the end); then check --deploy runs'
      : '✓ Django settings: the SSL block is there already; check --deploy runs after applying';
  const refusal = applyRefusal(outcome);
  const passing = plan.djangoLocations.filter((l) => l.action === 'present').length;
  return [
    'Checks before writing',
    `  ${certificateSummary(outcome)}`,
    `  › Django locations: ${plan.djangoLocations.length} found, ${passing} pass the scheme already, ${plan.djangoLocations.length - passing} get it${plan.newDjangoLocation ? ' (and one new location)' : ''}`,
    '  › nginx -t runs right after writing; if it fails the old site file is put back',
    `  ${djangoLine}`,
    ...(django?.notes ?? []).map((n) => `  ! ${n}`),
    refusal ? `  ✗ applying is refused: ${refusal}` : '  › a applies (asks first); nothing has been written yet',
    '',
    ...planLines(plan),
    ...(django?.diff ? ['', '--- settings.py ---', django.diff.trimEnd()] : []),
  ];
}

export function resultViewLines(outcome: ApplyOutcome, restartDisplay: string): string[] {
  const lines = [...resultLines(outcome.result).map((l) => (l.startsWith('nginx -t') ? `✓ ${l}` : l))];
  if (!outcome.result.selfSignedCreated && !outcome.result.acme) lines.push(...certificateLines(outcome.result.certificate));
  const { django } = outcome;
  if (outcome.djangoError) lines.push(`✗ Django: ${outcome.djangoError}`);
  if (django) {
    lines.push(
      django.changed
        ? `✓ settings.py: SSL block written${django.copy ? ` (old file: ${django.copy})` : ''}; the settings import.`
        : '✓ settings.py: the SSL block was there already; the settings import.',
      django.warnings.length === 0 ? '✓ manage.py check --deploy: no warnings.' : `! manage.py check --deploy still warns (${django.warnings.length}):`,
      ...django.warnings.map((w) => `  ! ${w.id}: ${w.meaning}`),
    );
  }
  lines.push(restartLine(restartDisplay));
  return lines;
}

/** The probe's report in the pane: its lines, marks first, so colour follows meaning. */
export function probeViewLines(report: ProbeReport): string[] {
  return probeLines(report).map((l) => l.replace(/^ {2}i /, '  · '));
}

export function hstsLine(enabled: boolean): string {
  return `${enabled ? '!' : '›'} ${hstsExplanation(enabled)}`;
}

/** Diff and check lines carry their meaning in their first character; colour only repeats it. */
export function lineTone(line: string): Tone | undefined {
  if (/^\s*✓/.test(line)) return 'ok';
  if (/^\s*✗/.test(line)) return 'fail';
  if (/^\s*!/.test(line)) return 'warn';
  if (line.startsWith('+') && !line.startsWith('+++')) return 'ok';
  if (line.startsWith('-') && !line.startsWith('---')) return 'fail';
  if (line.startsWith('@@') || line.startsWith('---')) return 'info';
  return undefined;
}

/** One entry per screen line: split at newlines (the config and diff come as one text) and wrapped to the pane. */
export function wrapLines(lines: readonly string[], width: number): string[] {
  const room = Math.max(8, width);
  return lines.flatMap((text) => text.split('\n')).flatMap((line) => {
    const parts: string[] = [];
    let rest = line.replace(/\t/g, '    ');
    while (rest.length > room) {
      // At a space when there is one in the second half of the line; a cipher list has none, so it is cut.
      const space = rest.lastIndexOf(' ', room);
      const cut = space > room / 2 ? space : room;
      parts.push(rest.slice(0, cut));
      rest = `  ${rest.slice(cut).trimStart()}`;
    }
    parts.push(rest);
    return parts;
  });
}

export type ScrollAction = 'up' | 'down' | 'pgup' | 'pgdn' | 'top' | 'bottom';

export function scrollTo(offset: number, action: ScrollAction, total: number, room: number): number {
  const max = Math.max(0, total - room);
  const page = Math.max(1, room - 1);
  const next = {
    up: offset - 1,
    down: offset + 1,
    pgup: offset - page,
    pgdn: offset + page,
    top: 0,
    bottom: max,
  }[action];
  return Math.max(0, Math.min(max, next));
}
