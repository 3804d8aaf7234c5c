import { describe, expect, it } from 'vitest';
import { noteBlocks, notesOf } from '../../src/tasks/update/note-text.js';
import { parseReleaseNotes, releasesToRead, UNRELEASED } from '../../src/tasks/update/release-notes.js';

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

/** Shapes of real CATMAID notes: commands over several lines, a fenced block with a \`#\` comment, nested bullets. */
const REAL = `## 2021.12.21

### Notes

- PostgreSQL 12 is required. On Ubuntu add the repository first:

    sudo add-apt-repository ppa:ubuntugis/ppa
    sudo apt-get update
    sudo apt-get install postgresql-12-postgis-3

- Update PostGIS in every database, as the superuser:
  \`\`\`
  # once per database
  sudo -u postgres psql -d catmaid -c "ALTER EXTENSION postgis UPDATE;"
  \`\`\`
- Celery needs a new supervisord entry:

  \`\`\`ini
  [program:catmaid-celery]
  command = /home/catmaid/django/env/bin/celery -A mysite worker \\
      -l info --pidfile=/run/catmaid/celery.pid
  \`\`\`
- Install the new requirements:
    * \`python -m pip install -U pip\`
    * \`python -m pip install -r requirements.txt\`

Plain paragraph after the list.

### Features and enhancements

- Not an admin note.
`;

describe('release notes from CHANGELOG.md and UPDATE.md', () => {
  it('reads the Notes of each release in every heading style, each bullet with its own lines', () => {
    const sections = parseReleaseNotes(CHANGELOG);
    expect(sections.map((s) => s.version)).toEqual([UNRELEASED, '2021.12.21', '2020.02.15', '2015.12.21', '2015.9.11']);
    expect(sections[1].notes).toEqual([
      'Requires PostgreSQL 12 or newer. Run\n`ALTER EXTENSION postgis UPDATE;` in every database.',
      'A virtualenv update is required.',
    ]);
    expect(sections[2].notes).toEqual([]);
    expect(sections[3].notes).toEqual(['Old style notes heading.']);
    expect(sections[4].notes).toEqual(['Unpadded version, second-level notes heading.']);
  });

  it('keeps commands line for line, code blocks whole, nested bullets inside their note', () => {
    const [section] = parseReleaseNotes(REAL);
    expect(section.notes).toEqual([
      'PostgreSQL 12 is required. On Ubuntu add the repository first:\n\n  sudo add-apt-repository ppa:ubuntugis/ppa\n  sudo apt-get update\n  sudo apt-get install postgresql-12-postgis-3',
      'Update PostGIS in every database, as the superuser:\n```\n# once per database\nsudo -u postgres psql -d catmaid -c "ALTER EXTENSION postgis UPDATE;"\n```',
      'Celery needs a new supervisord entry:\n\n```ini\n[program:catmaid-celery]\ncommand = /home/catmaid/django/env/bin/celery -A mysite worker \\\n    -l info --pidfile=/run/catmaid/celery.pid\n```',
      'Install the new requirements:\n  * `python -m pip install -U pip`\n  * `python -m pip install -r requirements.txt`',
      'Plain paragraph after the list.',
    ]);
    expect(noteBlocks(section.notes[0])).toEqual([
      { kind: 'text', lines: ['PostgreSQL 12 is required. On Ubuntu add the repository first:', ''] },
      { kind: 'code', lines: ['sudo add-apt-repository ppa:ubuntugis/ppa', 'sudo apt-get update', 'sudo apt-get install postgresql-12-postgis-3'] },
    ]);
    expect(noteBlocks(section.notes[2])[1]).toEqual({
      kind: 'code',
      lines: ['[program:catmaid-celery]', 'command = /home/catmaid/django/env/bin/celery -A mysite worker \\', '    -l info --pidfile=/run/catmaid/celery.pid'],
    });
  });

  it('lists every release an update jumps over, oldest first, none skipped, UPDATE.md and CHANGELOG.md merged', () => {
    const tags = ['2015.9.11', '2015.12.21', '2019.06.20', '2020.02.15', '2021.12.21', 'stable'];
    const read = releasesToRead({ tags, current: '2015.9.11', target: '2021.12.21', targetIsRelease: true, changelog: CHANGELOG, updateNotes: UPDATE });
    expect(read.map((r) => [r.version, r.source])).toEqual([
      ['2015.12.21', 'CHANGELOG.md'],
      ['2019.06.20', 'UPDATE.md'],
      ['2020.02.15', 'CHANGELOG.md'],
      ['2021.12.21', 'UPDATE.md + CHANGELOG.md'],
    ]);
    expect(read[3].notes).toEqual([
      'Requires PostgreSQL 12 or newer (from UPDATE.md).',
      'Requires PostgreSQL 12 or newer. Run\n`ALTER EXTENSION postgis UPDATE;` in every database.',
      'A virtualenv update is required.',
      'Something not released yet.',
    ]);
  });

  it("at a tag whose UPDATE.md still heads the release 'Under development', merges both files' notes", () => {
    const update = '# Updating\n\n## Under development\n\n- Only in UPDATE.md: run\n  `manage.py catmaid_rebuild_all_materializations`.\n- A virtualenv update is required.\n\n## 2020.02.15\n\n- Old.\n';
    const changelog = '## 2021.12.21\n\nContributors: A\n\n### Notes\n\n- A virtualenv update is required.\n- Only in CHANGELOG.md.\n';
    const read = releasesToRead({ tags: ['2021.12.21'], current: '2020.02.15', target: '2021.12.21', targetIsRelease: true, changelog, updateNotes: update });
    expect(read).toEqual([{
      version: '2021.12.21',
      source: 'UPDATE.md + CHANGELOG.md',
      notes: ['Only in UPDATE.md: run\n`manage.py catmaid_rebuild_all_materializations`.', 'A virtualenv update is required.', 'Only in CHANGELOG.md.'],
    }]);
  });

  it('past the newest release, the unreleased notes come last; a tag without notes is still listed', () => {
    const past = releasesToRead({ tags: ['2021.12.21'], current: '2020.02.15', target: '2021.12.21', targetIsRelease: false, changelog: CHANGELOG, updateNotes: '' });
    expect(past.map((r) => r.version)).toEqual(['2021.12.21', UNRELEASED]);
    expect(past[1].notes).toEqual(['Something not released yet.']);
    const read = releasesToRead({ tags: ['2020.02.15', '2020.05.01', '2021.12.21'], current: '2020.02.15', target: '2020.05.01', targetIsRelease: true, changelog: CHANGELOG, updateNotes: '' });
    expect(read).toEqual([{ version: '2020.05.01', notes: [], source: 'none' }]);
    expect(releasesToRead({ tags: ['r2015.1.21'], current: null, target: '2015.12.21', targetIsRelease: true, changelog: '', updateNotes: '' }).map((r) => r.version)).toEqual(['r2015.1.21']);
  });

  it('a paragraph between bullets is an entry of its own; Contributors lines are not notes', () => {
    expect(notesOf(['Contributors: X', '', '- a', '  b', '', 'para', '- c'])).toEqual(['a\nb', 'para', 'c']);
  });
});
