import type { PreflightCheck, UpdatePreview } from './preflight.js';
import { restoreEventLine } from '../backup/summary.js';
import { stepLines } from './plan.js';
import { noteAsWritten } from './note-text.js';
import { releaseHeading } from './release-notes.js';
import type { RollbackEvent } from './rollback.js';

const MARK: Record<PreflightCheck['status'], string> = { ok: '✓', warn: '!', fail: '✗', info: '·' };

/** The pre-flight, the release notes and the plan as text, for the command and the log. */
export function previewLines(preview: UpdatePreview): string[] {
  const from = preview.current.describe ?? preview.current.shortCommit;
  const lines = [
    `Update · ${from} → ${preview.target.ref} (${preview.target.describe ?? preview.target.commit.slice(0, 7)}) · ${preview.incoming} commit(s), ${preview.releases.length} release(s)`,
    '',
    'Pre-flight',
  ];
  for (const check of preview.checks) {
    lines.push(`  ${MARK[check.status]} ${check.title}${check.status === 'fail' && check.override ? ` (override: ${check.override})` : ''}`);
    for (const detail of check.detail ?? []) lines.push(`      ${detail}`);
  }
  if (preview.releases.length > 0) {
    lines.push('', 'Release notes to read (oldest first)');
    for (const release of preview.releases) {
      lines.push(`  ${releaseHeading(release)}`);
      if (release.notes.length === 0 && release.source !== 'none') lines.push('    · no admin actions');
      for (const note of release.notes) lines.push(...noteAsWritten(note, '    • ', '      '));
    }
  }
  lines.push('', 'Steps');
  let stage = 0;
  for (const step of preview.steps) {
    if (preview.squashStage && step.stage !== stage) {
      stage = step.stage;
      lines.push(`  stage ${stage}${stage === 1 ? ' (to 2015.12.21)' : ` (to ${preview.target.ref})`}`);
    }
    lines.push(`  · ${step.title}`, ...stepLines(step).map((line) => (step.command ? `      $ ${line}` : `      (${line})`)));
  }
  return lines;
}

export function previewJson(preview: UpdatePreview): Record<string, unknown> {
  return {
    current: preview.current,
    target: preview.target,
    incomingCommits: preview.incoming,
    localCommits: preview.local,
    upToDate: preview.upToDate,
    checks: preview.checks,
    refused: preview.refusals.length > 0,
    releases: preview.releases,
    twoStage: preview.squashStage,
    steps: preview.steps.map((s) => ({
      id: s.id,
      stage: s.stage,
      title: s.title,
      command: s.command ? [s.command.file, ...s.command.args] : null,
      ...(s.more?.length ? { more: s.more.map((c) => [c.file, ...c.args]) } : {}),
      cwd: s.command?.cwd ?? null,
      ...(s.probe ? { probe: s.probe } : {}),
    })),
  };
}

/** One line per rollback event for the command and the screen (null for what is not worth a line). */
export function rollbackEventLine(event: RollbackEvent): string | null {
  if (event.type === 'output') return event.line;
  if (event.type === 'check') return `${event.check.ok ? '✓' : '✗'} ${event.check.title}${event.check.detail ? `: ${event.check.detail}` : ''}`;
  if (event.type === 'step') return `${event.state === 'running' ? '…' : event.state === 'done' ? '✓' : event.state === 'failed' ? '✗' : '·'} ${event.title}${event.detail ? `: ${event.detail}` : ''}`;
  const line = restoreEventLine(event.event);
  return line ? `restore: ${line}` : null;
}
