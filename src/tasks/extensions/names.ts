import path from 'node:path';
import { UsageError } from '../errors.js';
import { hasNoControlCharacters } from '../safe-name.js';

/**
 * A name in STATIC_EXTENSION_FILES becomes `<script src="{STATIC_EXTENSION_URL}{name}">`: a plain file name in the
 * extension folder, JavaScript or CSS. Anything else is refused before a file or setting is touched.
 */
export function checkExtensionName(name: string): string {
  if (!hasNoControlCharacters(name)) {
    throw new UsageError(`extension name ${JSON.stringify(name)}: must not contain control characters`);
  }
  if (name === '' || name.includes('/') || name.includes('\\') || name.includes(path.sep)) {
    throw new UsageError(`extension name "${name}": must be a plain file name, without a path separator`);
  }
  if (name.includes('..') || name.startsWith('.')) {
    throw new UsageError(`extension name "${name}": must not contain ".." or start with "."`);
  }
  if (!/\.(js|css)$/.test(name)) {
    throw new UsageError(`extension name "${name}": must end in .js or .css`);
  }
  if (/[\s'"<>]/.test(name)) {
    throw new UsageError(`extension name "${name}": must not contain spaces, quotes or < >`);
  }
  return name;
}
