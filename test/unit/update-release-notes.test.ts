import { describe, expect, it } from 'vitest';
import { parseReleaseNotes, releasesToRead } from '../../src/tasks/update/release-notes.js';

const CHANGELOG = `# Changelog

## Under development

### Notes

- Something not released yet.

## 2021.12.21

Contributors: Chris Barnes, Tom Kazimiers

### Notes

- Requires PostgreSQL 12 or newer. Run
  \`ALTER EXTENSION postgis UPDATE;\` in every database.
- A virtualenv update is required.

### Features and enhancements

- Faster skeleton loading.

### Bug fixes

- Fixed a thing.

## 2020.02.15

Contributors: Tom Kazimiers

### Features and enhancements

- Only features here.

## 2015.12.21

# Notes

* Old style notes heading.

## Notes

Not a release heading: belongs to 2015.12.21's body.

## 2015.9.11

## Notes
- Unpadded version, second-level notes heading.
`;

const UPDATE = `# Update notes

## 2021.12.21

- Requires PostgreSQL 12 or newer (from UPDATE.md).

## 2019.06.20

- No administrative changes.
`;

describe('release notes from CHANGELOG.md and UPDATE.md', () => {
  it('reads the Notes bullets of each release in every heading style, joining wrapped lines', () => {
    const sections = parseReleaseNotes(CHANGELOG);
    expect(sections.map((s) => s.version)).toEqual(['2021.12.21', '2020.02.15', '2015.12.21', '2015.9.11']);
    expect(sections[0].notes).toEqual([
      'Requires PostgreSQL 12 or newer. Run `ALTER EXTENSION postgis UPDATE;` in every database.',
      'A virtualenv update is required.',
    ]);
    expect(sections[1].notes).toEqual([]);
    expect(sections[2].notes).toEqual(['Old style notes heading.']);
    expect(sections[3].notes).toEqual(['Unpadded version, second-level notes heading.']);
  });

  it('lists every release an update jumps over, oldest first, none skipped, UPDATE.md first', () => {
    const tags = ['2015.9.11', '2015.12.21', '2019.06.20', '2020.02.15', '2021.12.21', 'stable'];
    const read = releasesToRead(tags, '2015.9.11', '2021.12.21', CHANGELOG, UPDATE);
    expect(read.map((r) => [r.version, r.source])).toEqual([
      ['2015.12.21', 'CHANGELOG.md'],
      ['2019.06.20', 'UPDATE.md'],
      ['2020.02.15', 'CHANGELOG.md'],
      ['2021.12.21', 'UPDATE.md'],
    ]);
    expect(read[3].notes).toEqual(['Requires PostgreSQL 12 or newer (from UPDATE.md).']);
  });

  it('keeps a tagged release that neither file mentions, with no notes, and respects the target', () => {
    const read = releasesToRead(['2020.02.15', '2020.05.01', '2021.12.21'], '2020.02.15', '2020.05.01', CHANGELOG, '');
    expect(read).toEqual([{ version: '2020.05.01', notes: [], source: 'none' }]);
    expect(releasesToRead(['r2015.1.21'], null, '2015.12.21', '', '').map((r) => r.version)).toEqual(['r2015.1.21']);
  });
});
