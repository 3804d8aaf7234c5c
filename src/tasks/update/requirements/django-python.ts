import { compareVersions, versionParts } from './parse.js';

/**
 * The Python versions each Django series supports, from Django's FAQ ("What Python version can I use with
 * Django?", docs.djangoproject.com/en/dev/faq/install/) and its release notes. Data about Django, not about
 * this machine: the versions installed are read at run time. A series missing here is not judged.
 */
const SUPPORTED: Record<string, [string, string]> = {
  '1.11': ['2.7', '3.7'],
  '2.0': ['3.4', '3.7'],
  '2.1': ['3.5', '3.7'],
  '2.2': ['3.5', '3.9'],
  '3.0': ['3.6', '3.9'],
  '3.1': ['3.6', '3.9'],
  '3.2': ['3.6', '3.10'],
  '4.0': ['3.8', '3.10'],
  '4.1': ['3.8', '3.11'],
  '4.2': ['3.8', '3.12'],
  '5.0': ['3.10', '3.12'],
  '5.1': ['3.10', '3.13'],
  '5.2': ['3.10', '3.13'],
};

/** `[lowest, highest]` Python for a Django version, null when the series is unknown here. */
export function pythonRangeOf(django: string): [string, string] | null {
  const [major, minor] = versionParts(django);
  return SUPPORTED[`${major}.${minor ?? 0}`] ?? null;
}

/** Is a Python version (3.11.2) within a range of minor versions (3.6–3.10)? */
export function withinRange(python: string, [low, high]: [string, string]): boolean {
  const minor = versionParts(python).slice(0, 2).join('.');
  return compareVersions(minor, low) >= 0 && compareVersions(minor, high) <= 0;
}
