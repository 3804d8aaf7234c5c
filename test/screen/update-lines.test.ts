import { describe, expect, it } from 'vitest';
import { codeRows, notesLines } from '../../src/screens/update/lines.js';

describe('the notes panel', () => {
  it('wraps prose but keeps every command line for line, as written', () => {
    const note = 'PostgreSQL 12 is required. On Ubuntu add the repository of the PostGIS maintainers first:\n\n  sudo add-apt-repository ppa:ubuntugis/ppa\n  sudo apt-get update';
    expect(notesLines([{ version: '2021.12.21', source: 'UPDATE.md', notes: [note] }], 50)).toEqual([
      '2021.12.21',
      '  • PostgreSQL 12 is required. On Ubuntu add the',
      '    repository of the PostGIS maintainers first:',
      '',
      '      sudo add-apt-repository ppa:ubuntugis/ppa',
      '      sudo apt-get update',
    ]);
  });

  it('cuts a command longer than the panel into marked rows, never joining two commands', () => {
    expect(codeRows('python -m pip install -r requirements.txt', 20)).toEqual(['python -m pip instal', '↪ l -r requirements.', '↪ txt']);
  });
});
