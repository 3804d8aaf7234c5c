/** CHANGELOG.md and UPDATE.md sections in CATMAID's format (pure text functions). */

export interface ReleaseNotes {
  version: string;
  contributors: string[];
  /**
   * Admin actions: the bullets under `### Notes`, repeated in UPDATE.md. A bullet may hold several lines (a
   * command, a fenced block): its lines after the first are indented by two spaces, as CATMAID writes them.
   */
  notes: string[];
  features: string[];
  fixes: string[];
  /** UPDATE.md's bullets when they differ from the CHANGELOG's (CATMAID's UPDATE.md often says more). */
  updateNotes?: string[];
  /**
   * UPDATE.md's heading for this release, when the release commit did not rename `## Under development` (as at
   * CATMAID's 2021.12.21); a later commit renames it with `nameUpdateSection`.
   */
  updateHeading?: string;
}

export interface DevNotes {
  notes?: string[];
  features?: string[];
  fixes?: string[];
}

export const UNDER_DEVELOPMENT = 'Under development';

/** `- first line`, later lines indented by two (blank lines stay empty); multi-line bullets apart by a blank line. */
function bullets(items: string[]): string {
  const rendered = items.map((item) => `- ${item.split('\n').map((line, i) => (i === 0 || line === '' ? line : `  ${line}`)).join('\n')}`);
  return rendered.join(items.some((item) => item.includes('\n')) ? '\n\n' : '\n');
}

function subsections(parts: [string, string[] | undefined][]): string {
  return parts
    .filter(([, items]) => items && items.length > 0)
    .map(([title, items]) => `### ${title}\n\n${bullets(items ?? [])}\n`)
    .join('\n');
}

export function changelogSection(release: ReleaseNotes): string {
  const body = subsections([
    ['Notes', release.notes],
    ['Features and enhancements', release.features],
    ['Bug fixes', release.fixes],
  ]);
  return `## ${release.version}\n\nContributors: ${release.contributors.join(', ')}\n\n${body}`;
}

export function updateSection(release: ReleaseNotes): string {
  const items = release.updateNotes ?? release.notes;
  const notes = items.length > 0 ? bullets(items) : '- No administrative changes.';
  return `## ${release.updateHeading ?? release.version}\n\n${notes}\n`;
}

/** Rename a `## from` heading to `## to` (UPDATE.md's late rename of a release's section). */
export function nameUpdateSection(text: string, from: string, to: string): string {
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`^## ${escaped}$`, 'm'), `## ${to}`);
}

/** Where each `## ` section starts and ends. */
function sections(text: string): { heading: string; start: number; end: number }[] {
  const found = [...text.matchAll(/^## (.+)$/gm)].map((m) => ({ heading: m[1].trim(), start: m.index ?? 0 }));
  return found.map((s, i) => ({ ...s, end: i + 1 < found.length ? found[i + 1].start : text.length }));
}

/** Drop a leading `## Under development` section (a release takes its place). */
export function withoutUnderDevelopment(text: string): string {
  const dev = sections(text).find((s) => s.heading === UNDER_DEVELOPMENT);
  return dev ? text.slice(0, dev.start) + text.slice(dev.end) : text;
}

/** Put `section` before the first `## ` heading (after any header text), or at the end. */
export function insertSection(text: string, section: string): string {
  const first = sections(text)[0];
  const at = first ? first.start : text.length;
  const before = text.slice(0, at);
  const sep = before === '' || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? '\n' : '\n\n';
  return `${before}${sep}${section.trimEnd()}\n\n${text.slice(at)}`.trimEnd() + '\n';
}

/** A release: its section replaces `## Under development` on top. */
export function releaseChangelog(text: string, release: ReleaseNotes): string {
  return insertSection(withoutUnderDevelopment(text), changelogSection(release));
}

export function releaseUpdateNotes(text: string, release: ReleaseNotes): string {
  return insertSection(withoutUnderDevelopment(text), updateSection(release));
}

/** The bullets under `### title`, each with its continuation lines (unindented again). */
function bulletsUnder(body: string, title: string): string[] {
  const match = new RegExp(`^### ${title}\\n([\\s\\S]*?)(?=^### |$(?![\\s\\S]))`, 'm').exec(body);
  if (!match) return [];
  return match[1].split(/^- /m).slice(1)
    .map((item) => item.replace(/\s+$/, '').split('\n').map((line) => line.replace(/^ {2}/, '')).join('\n'));
}

/** Add entries to the `## Under development` section on top, creating it when missing. */
export function addUnderDevelopment(text: string, dev: DevNotes): string {
  const existing = sections(text).find((s) => s.heading === UNDER_DEVELOPMENT);
  const body = existing ? text.slice(existing.start, existing.end) : '';
  const merged = subsections([
    ['Notes', [...bulletsUnder(body, 'Notes'), ...(dev.notes ?? [])]],
    ['Features and enhancements', [...bulletsUnder(body, 'Features and enhancements'), ...(dev.features ?? [])]],
    ['Bug fixes', [...bulletsUnder(body, 'Bug fixes'), ...(dev.fixes ?? [])]],
  ]);
  return insertSection(withoutUnderDevelopment(text), `## ${UNDER_DEVELOPMENT}\n\n${merged}`);
}
