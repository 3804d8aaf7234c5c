import type { ReleaseToRead } from '../release-notes.js';

/**
 * What a release needs from the host, read from its admin notes as CATMAID writes them ("Requires PostgreSQL 12
 * or newer", "PostgreSQL 13 and PostGIS 3.1 are required", "Python 3.8", "A virtualenv update is required",
 * "run ALTER EXTENSION postgis UPDATE; in every database", "this migration requires a superuser", "it can take
 * a while on large databases") and from the target's `django/requirements.txt` (the Django it pins).
 */
export type RequirementName = 'postgresql' | 'postgis' | 'postgis-update' | 'python' | 'virtualenv' | 'superuser' | 'disk' | 'django-python';

export const REQUIREMENT_NAMES: readonly RequirementName[] = ['postgresql', 'postgis', 'postgis-update', 'python', 'virtualenv', 'superuser', 'disk', 'django-python'];

export interface Requirement {
  name: RequirementName;
  /** The lowest version that will do (postgresql, postgis, python). */
  min?: string;
  /** The release whose notes say so (the newest, when several do). */
  release: string;
  /** The note's words, for the reason shown. */
  said: string;
}

const NEEDS = /\b(requires?|required|needs?|needed|newer|at least|minimum|or later|or higher|upgrade|must)\b/i;
const PATTERNS: { name: 'postgresql' | 'postgis' | 'python'; re: RegExp }[] = [
  { name: 'postgresql', re: /\bPostgre(?:SQL|s)\s+v?(\d+(?:\.\d+)?)/gi },
  { name: 'postgis', re: /\bPostGIS\s+v?(\d+(?:\.\d+){0,2})/gi },
  { name: 'python', re: /\bPython\s+v?(3\.\d+)/gi },
];

/** Versions as numbers, compared part by part: `9.6` < `10` < `12`; `3.3.2next` is `3.3.2`. */
export function versionParts(version: string): number[] {
  return (version.match(/\d+(?:\.\d+)*/)?.[0] ?? '').split('.').filter(Boolean).map(Number);
}

export function compareVersions(a: string, b: string): number {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i += 1) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

const firstLine = (note: string): string => note.split('\n').find((l) => l.trim())?.trim() ?? '';

/** Every requirement of one note. */
export function noteRequirements(note: string, release: string): Requirement[] {
  const found: Requirement[] = [];
  const said = firstLine(note);
  const flat = note.replace(/\s+/g, ' ');
  if (NEEDS.test(flat)) {
    for (const { name, re } of PATTERNS) {
      for (const m of flat.matchAll(re)) found.push({ name, min: m[1], release, said });
    }
  }
  if (/ALTER\s+EXTENSION\s+postgis\s+UPDATE|update\s+(the\s+)?PostGIS\s+(extension\s+)?in\s+(every|each|all)/i.test(flat)) found.push({ name: 'postgis-update', release, said });
  if (/virtual\s?env(ironment)?\s+(update|upgrade)|(update|upgrade|recreate|rebuild)\s+(of\s+)?(your\s+|the\s+)?virtual\s?env/i.test(flat)) found.push({ name: 'virtualenv', release, said });
  // "requires a superuser", "needs superuser rights": not "should it fail, run it as the superuser".
  if (/\b(requires?|needs?|needed)\b[^.]{0,40}\bsuper\s?user/i.test(flat) && !/ALTER\s+EXTENSION\s+postgis\s+UPDATE/i.test(flat)) {
    found.push({ name: 'superuser', release, said });
  }
  if (/\b(rewrites?|take (a )?(long|while)|large databases?|disk space|lot of space|table rewrite)\b/i.test(flat)) found.push({ name: 'disk', release, said });
  return found;
}

/** The requirements of every release passed, one per name: the highest version asked for, by the newest release saying so. */
export function releaseRequirements(releases: readonly ReleaseToRead[]): Requirement[] {
  const byName = new Map<RequirementName, Requirement>();
  for (const release of releases) {
    for (const note of release.notes) {
      for (const req of noteRequirements(note, release.version)) {
        const kept = byName.get(req.name);
        if (!kept || (req.min && kept.min && compareVersions(req.min, kept.min) > 0) || (!req.min && !kept.min)) byName.set(req.name, req);
      }
    }
  }
  return REQUIREMENT_NAMES.map((name) => byName.get(name)).filter((r): r is Requirement => r !== undefined);
}

/** `Django==3.2.12`, `Django>=3.2,<3.3`, `django~=4.2` → the specifiers, e.g. `>=3.2,<3.3`; null when not pinned. */
export function djangoSpec(requirementsTxt: string): string | null {
  for (const raw of requirementsTxt.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const m = /^django\s*((?:[<>=!~]=?|===)\s*[\w.*]+(?:\s*,\s*(?:[<>=!~]=?|===)\s*[\w.*]+)*)/i.exec(line);
    if (m) return m[1].replace(/\s+/g, '');
  }
  return null;
}

/** Does a version satisfy PEP 440-ish specifiers (`>=3.2,<5.0`, `==3.2.*`, `~=3.2`)? */
export function satisfies(version: string, spec: string): boolean {
  return spec.split(',').every((part) => {
    const m = /^(===|==|!=|~=|>=|<=|>|<)(.+)$/.exec(part);
    if (!m) return true;
    const [, op, want] = m;
    if (want.endsWith('.*')) {
      const prefix = versionParts(want.slice(0, -2));
      const same = prefix.every((n, i) => versionParts(version)[i] === n);
      return op === '!=' ? !same : same;
    }
    const c = compareVersions(version, want);
    if (op === '~=') {
      const parts = versionParts(want);
      const upper = [...parts.slice(0, -2), (parts.at(-2) ?? 0) + 1].join('.');
      return c >= 0 && compareVersions(version, upper) < 0;
    }
    return { '==': c === 0, '===': c === 0, '!=': c !== 0, '>=': c >= 0, '<=': c <= 0, '>': c > 0, '<': c < 0 }[op] ?? true;
  });
}

/** The lowest version a spec allows, as far as it says (`>=3.2,<5.0` → 3.2; `==4.2.7` → 4.2.7). */
export function lowestAllowed(spec: string): string | null {
  const m = /(?:^|,)(?:===|==|~=|>=)([\d.]+)/.exec(spec);
  return m ? m[1] : null;
}
