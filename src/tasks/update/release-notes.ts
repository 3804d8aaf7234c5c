import { parseReleaseTag } from '../release-tag.js';
import { notesOf, sameNote } from './note-text.js';

/**
 * Admin notes per release, read from CHANGELOG.md or UPDATE.md as they are at the target revision.
 * CHANGELOG.md: `## 2021.12.21`, `Contributors: …`, then `### Notes` (admin actions), `### Features and
 * enhancements`, `### Bug fixes`. Old releases are inconsistent: `# Notes`, `## Notes`, unpadded or `r`-prefixed
 * versions. UPDATE.md repeats only the notes, directly under `## <version>`. On top of both: `## Under
 * development` (or `## Maintenance updates`): what is on the branch and in no release yet.
 */
export interface ReleaseSection {
  /** A release (`2021.12.21`) or UNRELEASED for the section on top that no release has yet. */
  version: string;
  /** The admin actions, one entry per bullet, as written (see note-text.ts). */
  notes: string[];
}

export const UNRELEASED = 'Under development';

const RELEASE_HEADING = /^#{1,3}\s+(r?\d{4}\.\d{1,2}\.\d{1,2})\s*$/;
const UNRELEASED_HEADING = /^#{1,2}\s+(Under development|Maintenance updates)\s*$/i;
const NOTES_HEADING = /^#{1,4}\s+Notes:?\s*$/i;
const ANY_HEADING = /^#{1,6}\s+\S/;

/** Every release section of the file (and the unreleased one), in file order (newest first in CATMAID's files). */
export function parseReleaseNotes(text: string): ReleaseSection[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const sections: { version: string; body: string[] }[] = [];
  let current: { version: string; body: string[] } | null = null;
  let fenced = false;
  for (const line of lines) {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    const release = fenced ? null : RELEASE_HEADING.exec(line);
    if (release || (!fenced && UNRELEASED_HEADING.test(line))) {
      current = { version: release ? release[1] : UNRELEASED, body: [] };
      sections.push(current);
    } else if (current) current.body.push(line);
  }
  return sections.map(({ version, body }) => ({ version, notes: notesOf(notesPart(body)) }));
}

/** The Notes subsection of a CHANGELOG section; an UPDATE.md section is all notes up to any sub-heading. */
function notesPart(body: string[]): string[] {
  const headings = headingRows(body);
  const notesAt = headings.find((i) => NOTES_HEADING.test(body[i]));
  if (notesAt === undefined) return headings.length === 0 ? body : body.slice(0, headings[0]);
  const end = headings.find((i) => i > notesAt);
  return body.slice(notesAt + 1, end);
}

/** Rows of a section that are headings (a `#` inside a fenced block is a shell comment, not a heading). */
function headingRows(body: string[]): number[] {
  const rows: number[] = [];
  let fenced = false;
  body.forEach((line, i) => {
    if (/^\s*(```|~~~)/.test(line)) fenced = !fenced;
    else if (!fenced && ANY_HEADING.test(line)) rows.push(i);
  });
  return rows;
}

export type NotesSource = 'UPDATE.md' | 'CHANGELOG.md' | 'UPDATE.md + CHANGELOG.md' | 'none';

export interface ReleaseToRead {
  /** The release's tag as git spells it, or UNRELEASED for the target's commits after its newest release. */
  version: string;
  notes: string[];
  /** Where the notes came from. */
  source: NotesSource;
}

/** UPDATE.md's notes, then CHANGELOG.md's that say something else: nothing is dropped, nothing said twice. */
function merged(update: string[] | undefined, change: string[] | undefined): { notes: string[]; source: NotesSource } {
  const notes = [...(update ?? [])];
  const extra = (change ?? []).filter((note) => !notes.some((kept) => sameNote(kept, note)));
  notes.push(...extra);
  const source: NotesSource = update && update.length > 0 ? (extra.length > 0 ? 'UPDATE.md + CHANGELOG.md' : 'UPDATE.md') : change ? 'CHANGELOG.md' : update ? 'UPDATE.md' : 'none';
  return { notes, source };
}

export interface NotesInput {
  /** Release tags the target has and HEAD lacks. */
  tags: string[];
  current: string | null;
  /** The newest release reachable from the target. */
  target: string | null;
  /** The target is that release's own commit (not commits after it). */
  targetIsRelease: boolean;
  changelog: string;
  updateNotes: string;
}

/**
 * The releases an update jumps over — newer than `current`, up to and including `target` — oldest first, with
 * their admin notes. UPDATE.md and CHANGELOG.md are merged per release. A release tag that neither file mentions
 * is still listed (with no notes) so nothing is silently skipped. The section on top without a release heading
 * is the target's own release when the target is a release whose heading is missing there (at the tag
 * 2021.12.21, UPDATE.md still heads it `## Under development`); when the target is past its newest release, it is
 * listed last as UNRELEASED: the update brings those commits too.
 */
export function releasesToRead({ tags, current, target, targetIsRelease, changelog, updateNotes }: NotesInput): ReleaseToRead[] {
  const from = current ? parseReleaseTag(current) : null;
  const to = target ? parseReleaseTag(target) : null;
  const key = (t: { year: number; month: number; day: number }) => t.year * 10000 + t.month * 100 + t.day;
  const update = sectionsByVersion(updateNotes);
  const change = sectionsByVersion(changelog);
  if (to && targetIsRelease) {
    for (const file of [update, change]) {
      // A file that already knows a newer release is not as it was at this release's commit: leave it be.
      if ([...file.keys()].some((v) => (parseReleaseTag(v) ? key(parseReleaseTag(v)!) > key(to) : false))) continue;
      const top = file.get(UNRELEASED) ?? [];
      const own = file.get(normal(to.tag));
      if (top.length > 0 || own) file.set(normal(to.tag), [...(own ?? []), ...top.filter((note) => !(own ?? []).some((o) => sameNote(o, note)))]);
      file.delete(UNRELEASED);
    }
  }
  // Show a release by its tag's own spelling (`2015.9.11`, `r2015.1.21`) where git has one.
  const display = new Map<string, string>();
  for (const v of [...tags, ...update.keys(), ...change.keys()]) if (!display.has(normal(v))) display.set(normal(v), v);
  const releases: ReleaseToRead[] = [...display.keys()]
    .map((v) => parseReleaseTag(v))
    .filter((t): t is NonNullable<typeof t> => t !== null)
    .filter((t) => (!from || key(t) > key(from)) && (!to || key(t) <= key(to)))
    .sort((a, b) => key(a) - key(b))
    .map((t) => ({ version: display.get(t.tag) ?? t.tag, ...merged(update.get(t.tag), change.get(t.tag)) }));
  const unreleased = merged(update.get(UNRELEASED), change.get(UNRELEASED));
  if (!targetIsRelease && unreleased.notes.length > 0) releases.push({ version: UNRELEASED, ...unreleased });
  return releases;
}

function sectionsByVersion(text: string): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const section of parseReleaseNotes(text)) {
    const version = section.version === UNRELEASED ? UNRELEASED : normal(section.version);
    if (!map.has(version)) map.set(version, section.notes);
  }
  return map;
}

/** `r2015.1.21` and `2015.01.21` are the same release. */
function normal(version: string): string {
  const t = parseReleaseTag(version);
  return t ? `${t.year}.${String(t.month).padStart(2, '0')}.${String(t.day).padStart(2, '0')}` : version;
}

/** A release's heading line: its version, what it is when not a release, whether notes were found. */
export function releaseHeading(release: ReleaseToRead): string {
  const name = release.version === UNRELEASED ? 'Under development (commits after the last release)' : release.version;
  return `${name}${release.source === 'none' ? '  (no notes found)' : ''}`;
}
