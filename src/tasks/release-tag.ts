/**
 * CATMAID release tags are dates: `2021.12.21`; very old ones are unpadded (`2015.9.11`) or prefixed
 * (`r2015.1.21`). The lightweight tag `stable` moves around and is not a release.
 */
export interface ReleaseDate {
  tag: string;
  year: number;
  month: number;
  day: number;
}

const RELEASE = /^r?(\d{4})\.(\d{1,2})\.(\d{1,2})$/;

export function parseReleaseTag(tag: string): ReleaseDate | null {
  const m = RELEASE.exec(tag);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1 || day > 31) return null;
  return { tag, year, month, day };
}

export function compareReleases(a: ReleaseDate, b: ReleaseDate): number {
  return a.year - b.year || a.month - b.month || a.day - b.day;
}

/** Release tags among `tags`, oldest first. */
export function sortedReleases(tags: Iterable<string>): ReleaseDate[] {
  const releases: ReleaseDate[] = [];
  for (const tag of tags) {
    const parsed = parseReleaseTag(tag.trim());
    if (parsed) releases.push(parsed);
  }
  return releases.sort(compareReleases);
}

/**
 * `git describe` on release tags only (padded, unpadded and `r`-prefixed dates): the lightweight `stable` tag sits
 * on commits ahead of the last release, and plain `--tags` would then print `stable-N-g…` as the version.
 */
export const DESCRIBE_RELEASE = ['describe', '--tags', '--match', '[0-9][0-9][0-9][0-9].*', '--match', 'r[0-9][0-9][0-9][0-9].*'];
