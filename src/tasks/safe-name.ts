import crypto from 'node:crypto';

/**
 * A name that came from settings.py, git, a config file or the command line, made safe to use as one component
 * of a file name: no path separators, no `.`/`..`, no control characters, no leading dash or dot, at most 64
 * characters. A name that had to change gets a short hash of the original, so two different names never map to
 * the same file. Whatever record goes with the file (a manifest) keeps the real name.
 */
export function safeFileComponent(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/[^A-Za-z0-9._+@=-]+/g, '_')
    .replace(/^[.-]+/, '_')
    .slice(0, 64);
  if (cleaned === name && cleaned !== '') return cleaned;
  const tag = crypto.createHash('sha256').update(name).digest('hex').slice(0, 8);
  return `${cleaned || 'unnamed'}~${tag}`;
}

/** True when a value has no control characters (newline, carriage return, NUL, escape …). */
export function hasNoControlCharacters(value: string): boolean {
  // eslint-disable-next-line no-control-regex
  return !/[\u0000-\u001f\u007f\u0085\u2028\u2029]/.test(value);
}
