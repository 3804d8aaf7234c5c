import type { PreflightCheck, UpdatePreview } from '../../tasks/update/preflight.js';
import { noteBlocks } from '../../tasks/update/note-text.js';
import { releaseHeading, type ReleaseToRead } from '../../tasks/update/release-notes.js';

/** Text of the Update screen's panels, as plain lines cut to a width (pure, so the screen tests can trust it). */
export const CHECK_MARK: Record<PreflightCheck['status'], 'ok' | 'warn' | 'fail' | 'idle'> = { ok: 'ok', warn: 'warn', fail: 'fail', info: 'idle' };

/** Words onto lines of at most `width` cells; continuation lines get `indent`. */
export function wrap(text: string, width: number, indent = ''): string[] {
  const room = Math.max(8, width);
  const out: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word;
    if (next.length <= room || !line) line = next;
    else {
      out.push(line);
      line = `${indent}${word}`;
    }
  }
  if (line) out.push(line);
  return out.flatMap((l) => (l.length > room ? (l.match(new RegExp(`.{1,${room}}`, 'g')) ?? [l]) : [l]));
}

/** A code line that does not fit is cut into rows marked ↪, never joined or re-flowed (it is to be copied). */
export function codeRows(line: string, width: number): string[] {
  const room = Math.max(8, width);
  if (line.length <= room) return [line];
  const rows = [line.slice(0, room)];
  for (let at = room; at < line.length; at += room - 2) rows.push(`↪ ${line.slice(at, at + room - 2)}`);
  return rows;
}

/** One note: prose wrapped to the width, code blocks line for line (indented 2 more, so they stand out). */
export function noteLines(note: string, width: number): string[] {
  const out: string[] = [];
  for (const block of noteBlocks(note)) {
    for (const line of block.lines) {
      if (block.kind === 'code') out.push(...codeRows(line, width - 2).map((row) => `  ${row}`));
      else if (line.trim() === '') out.push('');
      else out.push(...wrap(line, width, ' '.repeat(Math.min(4, line.length - line.trimStart().length))));
    }
  }
  return out.map((line, i) => (line === '' ? '' : `${i === 0 ? '• ' : '  '}${line}`));
}

/** Every release the update jumps over, oldest first, each followed by its admin notes as written. */
export function notesLines(releases: readonly ReleaseToRead[], width: number): string[] {
  if (releases.length === 0) return ['No release lies between the current version and the target.'];
  const lines: string[] = [];
  releases.forEach((release, i) => {
    if (i > 0) lines.push('');
    lines.push(releaseHeading(release));
    if (release.notes.length === 0 && release.source !== 'none') lines.push('  · no admin actions');
    for (const note of release.notes) lines.push(...noteLines(note, width - 4).map((l) => (l === '' ? '' : `  ${l}`)));
  });
  return lines;
}

/** The checks, each with its reasons under it (`detail` lines carry no mark). */
const SEVERITY: Record<PreflightCheck['status'], number> = { fail: 0, warn: 1, ok: 2, info: 3 };

/**
 * The checks, failures first, then warnings, each with its reasons under it (`detail` lines carry no mark);
 * `details: 'failures'` keeps only the reasons of failed checks (the compact panel beside the notes).
 */
export function checkLines(preview: UpdatePreview, width: number, details: 'failures' | 'all' = 'all'): { status: PreflightCheck['status']; text: string; detail: boolean }[] {
  const out: { status: PreflightCheck['status']; text: string; detail: boolean }[] = [];
  const ordered = [...preview.checks].sort((a, b) => SEVERITY[a.status] - SEVERITY[b.status]);
  for (const check of ordered) {
    const title = check.status === 'fail' && check.override ? `${check.title} (override: ${check.override})` : check.title;
    wrap(title, width - 2, '  ').forEach((text, i) => out.push({ status: check.status, text: i === 0 ? text : ` ${text}`, detail: i > 0 }));
    if (details === 'all' || check.status === 'fail') for (const detail of check.detail ?? []) out.push({ status: 'info', text: `    ${detail}`, detail: true });
  }
  return out;
}

/** The plan, one step a line; stages named when the update passes through 2015.12.21. */
export function planLines(preview: UpdatePreview): string[] {
  const lines: string[] = [];
  let stage = 0;
  for (const step of preview.steps) {
    if (preview.squashStage && step.stage !== stage) {
      stage = step.stage;
      lines.push(`stage ${stage}${stage === 1 ? ' (to 2015.12.21)' : ` (to ${preview.target.ref})`}`);
    }
    lines.push(`${preview.squashStage ? '  ' : ''}· ${step.title}`);
  }
  return lines;
}

/** The heading: from → to, commits and releases between. */
export function headline(preview: UpdatePreview): string {
  const from = preview.current.describe ?? preview.current.shortCommit;
  const to = preview.target.kind === 'branch' ? `${preview.target.ref} (${preview.target.describe ?? preview.target.commit.slice(0, 7)})` : preview.target.ref;
  return `Update · ${from} → ${to} (${preview.incoming} commit(s), ${preview.releases.length} release(s))`;
}

/** Clamp a scroll offset so the last page is full. */
export function clampOffset(offset: number, total: number, room: number): number {
  return Math.max(0, Math.min(offset, total - room));
}
