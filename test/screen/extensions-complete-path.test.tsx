import { describe, expect, it } from 'vitest';
import { completeFrom, type DirEntry } from '../../src/screens/extensions/complete-path.js';

const folder: DirEntry[] = [
  { name: 'tracing-tools.js', dir: false },
  { name: 'tracing-extra.css', dir: false },
  { name: 'notes.txt', dir: false },
  { name: 'lib', dir: true },
  { name: '.hidden.js', dir: false },
];

describe('Tab completion of an extension file path', () => {
  it('completes a single match fully, a folder with its slash', () => {
    expect(completeFrom('/srv/x/tracing-t', folder)).toEqual({ value: '/srv/x/tracing-tools.js', candidates: [] });
    expect(completeFrom('/srv/x/l', folder)).toEqual({ value: '/srv/x/lib/', candidates: [] });
  });

  it('completes as far as every match agrees and lists them: folders, .js and .css only, hidden ones on a dot', () => {
    expect(completeFrom('/srv/x/tr', folder)).toEqual({ value: '/srv/x/tracing-', candidates: ['tracing-extra.css', 'tracing-tools.js'] });
    expect(completeFrom('/srv/x/', folder).candidates).toEqual(['lib/', 'tracing-extra.css', 'tracing-tools.js']);
    expect(completeFrom('/srv/x/.', folder)).toEqual({ value: '/srv/x/.hidden.js', candidates: [] });
  });

  it('leaves the input alone when nothing matches (a .txt is no extension)', () => {
    expect(completeFrom('/srv/x/no', folder)).toEqual({ value: '/srv/x/no', candidates: [] });
  });
});
