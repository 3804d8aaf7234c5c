import { describe, expect, it } from 'vitest';
import { checkRequirements } from '../../src/tasks/update/requirements/check.js';
import type { HostFacts } from '../../src/tasks/update/requirements/facts.js';
import { djangoSpec, lowestAllowed, noteRequirements, releaseRequirements, satisfies } from '../../src/tasks/update/requirements/parse.js';

const facts: HostFacts = {
  postgresql: '15.4',
  postgis: { available: '3.3.2', databases: [{ name: 'catmaid', version: '3.3.2' }, { name: 'postgres', version: null }], behind: [], instance: 'catmaid' },
  python: '3.11.2',
  django: '3.2.19',
  virtualenv: true,
  superuser: false,
  databaseBytes: 400e6,
  free: { bytes: 120e9, where: '/var/lib/postgresql/15/main' },
};

describe('requirements read from the notes of every release passed', () => {
  it("finds versions in CATMAID's wordings, the highest of each winning", () => {
    const releases = [
      { version: '2018.04.15', source: 'CHANGELOG.md' as const, notes: ['Requires PostgreSQL 10 or newer.'] },
      { version: '2020.02.15', source: 'UPDATE.md' as const, notes: ['Requires PostgreSQL 11 or newer and Python 3.6 or newer.'] },
      {
        version: '2021.12.21',
        source: 'UPDATE.md' as const,
        notes: [
          'PostgreSQL 12 and PostGIS 3.1 are required. Update PostGIS in every database:\n\n  ALTER EXTENSION postgis UPDATE;',
          'Python 3.8 is needed now.',
          'A virtualenv update is required.',
          'The skeleton summary is filled by a migration: it can take a while on large databases.',
          'This migration requires a database superuser.',
        ],
      },
    ];
    expect(releaseRequirements(releases).map((r) => [r.name, r.min ?? '', r.release])).toEqual([
      ['postgresql', '12', '2021.12.21'],
      ['postgis', '3.1', '2021.12.21'],
      ['postgis-update', '', '2021.12.21'],
      ['python', '3.8', '2021.12.21'],
      ['virtualenv', '', '2021.12.21'],
      ['superuser', '', '2021.12.21'],
      ['disk', '', '2021.12.21'],
    ]);
  });

  it('does not take a version named in passing for a requirement', () => {
    expect(noteRequirements('Tested with PostgreSQL 16.', 'x')).toEqual([]);
    expect(noteRequirements('Run ALTER EXTENSION postgis UPDATE; as the superuser.', 'x').map((r) => r.name)).toEqual(['postgis-update']);
  });

  it("reads the target's Django pin from requirements.txt", () => {
    expect(djangoSpec('# comment\nDjango>=3.2,<5.0\npsycopg2>=2.8\n')).toBe('>=3.2,<5.0');
    expect(djangoSpec('django==4.2.7 # pinned\n')).toBe('==4.2.7');
    expect(djangoSpec('psycopg2\n')).toBeNull();
    expect(satisfies('3.2.19', '>=3.2,<5.0')).toBe(true);
    expect(satisfies('3.2.19', '~=4.2')).toBe(false);
    expect(satisfies('4.2.7', '==4.2.*')).toBe(true);
    expect(lowestAllowed('>=3.2,<5.0')).toBe('3.2');
  });
});

describe('requirements held against what is installed', () => {
  const req = (name: string, min?: string) => ({ name, min, release: '2022.05.01', said: 'as the notes say' }) as Parameters<typeof checkRequirements>[0]['requirements'][number];

  it('a PostgreSQL above the installed one fails, naming both versions and the release; --ignore-requirement turns it into a warning', () => {
    const [pg] = checkRequirements({ requirements: [req('postgresql', '17')], djangoSpec: null, facts, ignore: [], systemPython: false });
    expect(pg).toMatchObject({ name: 'postgresql', status: 'fail', title: 'PostgreSQL 15.4 < 17 required by 2022.05.01' });
    const [ignored] = checkRequirements({ requirements: [req('postgresql', '17')], djangoSpec: null, facts, ignore: ['postgresql'], systemPython: false });
    expect(ignored).toMatchObject({ status: 'warn', title: 'PostgreSQL 15.4 < 17 required by 2022.05.01 (ignored: --ignore-requirement postgresql)' });
  });

  it('PostGIS is always checked: an extension behind the library fails with the fix for each database', () => {
    const behind: HostFacts = { ...facts, postgis: { available: '3.3.2', databases: [{ name: 'catmaid', version: '3.3.2next' }], behind: [{ name: 'catmaid', version: '3.3.2next' }], instance: 'catmaid' } };
    const [postgis] = checkRequirements({ requirements: [], djangoSpec: null, facts: behind, ignore: [], systemPython: false });
    expect(postgis).toMatchObject({ name: 'postgis', status: 'fail', title: 'PostGIS library 3.3.2, extension 3.3.2next in catmaid', postgisBehind: ['catmaid'] });
    expect(postgis.detail).toContain("sudo -u postgres psql -d catmaid -c 'ALTER EXTENSION postgis UPDATE;'");
  });

  it('Python, Django, virtualenv, superuser and disk, each with its reason', () => {
    const checks = checkRequirements({
      requirements: [req('python', '3.12'), req('virtualenv'), req('superuser'), req('disk')],
      djangoSpec: '>=3.2,<5.0',
      facts: { ...facts, databaseBytes: 80e9 },
      ignore: [],
      systemPython: false,
    });
    expect(checks.map((c) => [c.name, c.status, c.title])).toEqual([
      ['postgis', 'ok', 'PostGIS 3.3.2, extension up to date in catmaid'],
      ['python', 'fail', 'Python (django/env) 3.11.2 < 3.12 required by 2022.05.01'],
      ['django-python', 'warn', 'Python 3.11.2 with Django 3.2 (requirements.txt >=3.2,<5.0): 3.6–3.10 supported'],
      ['virtualenv', 'ok', 'virtualenv update (2022.05.01): the pip step installs the new requirements into django/env'],
      ['superuser', 'fail', 'superuser needed by 2022.05.01; the CATMAID role is not one'],
      ['disk', 'warn', 'free disk 112 GB < 2 × database size 74.5 GB (table rewrites in 2022.05.01)'],
    ]);
  });
});
