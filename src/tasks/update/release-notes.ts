import { parseReleaseTag } from '../release-tag.js';

/**
 * Admin notes per release, read from CHANGELOG.md or UPDATE.md as they are at the target revision.
 * CHANGELOG.md: `## 2021.12.21`, `Contributors: …`, then `### Notes` (admin actions), `### Features and
 * enhancements`, `### Bug fixes`. Old releases are inconsistent: `# Notes`, `## Notes`, unpadded or `r`-prefixed
 * versions. UPDATE.md repeats only the notes, directly under `## <version>`.
 */
export interface ReleaseSection {
  version: string;
  /** The admin actions, one entry per bullet (continuation lines joined). */
  notes: string[];
}

const RELEASE_HEADING = /^#{1,3}\s+(r?\d{4}\.\d{1,2}\.\d{1,2})\s*$/;
const OTHER_TOP_HEADING = /^#{1,2}\s+(Under development|Maintenance updates)\s*$/i;
const NOTES_HEADING = /^#{1,4}\s+Notes:?\s*$/i;
const ANY_HEADING = /^#{1,6}\s+\S/;

/** Bullets of a block of Markdown: `- x` / `* x`, continuation lines joined; a plain paragraph is one entry. */
export function bulletsOf(lines: string[]): string[] {
  const out: string[] = [];
  let current: string | null = null;
  const flush = () => {
    if (current !== null && current.trim() !== '') out.push(current.trim());
    current = null;
  };
  for (const line of lines) {
    const bullet = /^\s*[-*+]\s+(.*)$/.exec(line);
    if (bullet) {
      flush();
      current = bullet[1];
    } else if (line.trim() === '') flush();
    else current = current === null ? line.trim() : `${current} ${line.trim()}`;
  }
  flush();
  return out.filter((entry) => !/^Contributors:/i.test(entry));
}

/** Every release section of the file, in file order (newest first in CATMAID's files). */
export function parseReleaseNotes(text: string): ReleaseSection[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const sections: { version: string; body: string[] }[] = [];
  let current: { version: string; body: string[] } | null = null;
  for (const line of lines) {
    const release = RELEASE_HEADING.exec(line);
    if (release) {
      current = { version: release[1], body: [] };
      sections.push(current);
    } else if (OTHER_TOP_HEADING.test(line)) current = null;
    else if (current) current.body.push(line);
  }
  return sections.map(({ version, body }) => {
    const notesAt = body.findIndex((l) => NOTES_HEADING.test(l));
    if (notesAt < 0) {
      // UPDATE.md style: the section is the notes, unless it has other sub-headings (a CHANGELOG without notes).
      const firstHeading = body.findIndex((l) => ANY_HEADING.test(l));
      return { version, notes: bulletsOf(firstHeading < 0 ? body : body.slice(0, firstHeading)) };
    }
    const rest = body.slice(notesAt + 1);
    const end = rest.findIndex((l) => ANY_HEADING.test(l));
    return { version, notes: bulletsOf(end < 0 ? rest : rest.slice(0, end)) };
  });
}

export interface ReleaseToRead {
  version: string;
  notes: string[];
  /** Where the notes came from. */
  source: 'UPDATE.md' | 'CHANGELOG.md' | 'none';
}

/**
 * The releases an update jumps over — newer than `current`, up to and including `target` — oldest first, with
 * their admin notes. UPDATE.md is preferred for a release it covers, CHANGELOG.md fills the rest, and a release
 * tag that neither file mentions is still listed (with no notes) so nothing is silently skipped.
 */
export function releasesToRead(
  tags: string[],
  current: string | null,
  target: string | null,
  changelog: string,
  updateNotes: string,
): ReleaseToRead[] {
  const from = current ? parseReleaseTag(current) : null;
  const to = target ? parseReleaseTag(target) : null;
  const key = (t: { year: number; month: number; day: number }) => t.year * 10000 + t.month * 100 + t.day;
  const update = new Map(parseReleaseNotes(updateNotes).map((s) => [normal(s.version), s]));
  const change = new Map(parseReleaseNotes(changelog).map((s) => [normal(s.version), s]));
  // Show a release by its tag's own spelling (`2015.9.11`, `r2015.1.21`) where git has one.
  const display = new Map<string, string>();
  for (const v of [...tags, ...update.keys(), ...change.keys()]) if (!display.has(normal(v))) display.set(normal(v), v);
  return [...display.keys()]
    .map((v) => parseReleaseTag(v))
    .filter((t): t is NonNullable<typeof t> => t !== null)
    .filter((t) => (!from || key(t) > key(from)) && (!to || key(t) <= key(to)))
    .sort((a, b) => key(a) - key(b))
    .map((t) => {
      const version = display.get(t.tag) ?? t.tag;
      const u = update.get(t.tag);
      if (u && u.notes.length > 0) return { version, notes: u.notes, source: 'UPDATE.md' as const };
      const c = change.get(t.tag);
      if (c) return { version, notes: c.notes, source: 'CHANGELOG.md' as const };
      return { version, notes: [], source: 'none' as const };
    });
}

/** `r2015.1.21` and `2015.01.21` are the same release. */
function normal(version: string): string {
  const t = parseReleaseTag(version);
  return t ? `${t.year}.${String(t.month).padStart(2, '0')}.${String(t.day).padStart(2, '0')}` : version;
}
