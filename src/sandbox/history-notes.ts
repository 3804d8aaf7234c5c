/**
 * The admin notes of the sandbox's releases, in the shapes CATMAID's UPDATE.md and CHANGELOG.md have them:
 * wrapped bullets, shell commands several in a row or continued with `\`, fenced blocks to paste (a supervisord
 * entry, settings), requirements stated as CATMAID states them. A bullet's lines after the first are written
 * unindented here; the changelog writer indents them.
 */

const fence = (lines: string[], info = ''): string => ['```' + info, ...lines, '```'].join('\n');

export const NOTES_2019_06_20 = [
  [
    'A virtualenv update is required. Update pip first, then the requirements, and',
    'remove the package that CATMAID now ships itself:',
    '',
    'pip install -U pip',
    'pip install -r requirements.txt',
    'pip uninstall -y django-catmaid-stats',
  ].join('\n'),
  'PostgreSQL 10 is now required.',
  [
    'The Postgres extension "pg_trgm" is needed for name searches. Should the',
    'migration fail with a permission error, install it as a Postgres superuser:',
    '',
    'sudo -u postgres psql -d <catmaid-db> \\',
    "    -c 'CREATE EXTENSION pg_trgm;'",
  ].join('\n'),
];

export const NOTES_2020_02_15 = [
  [
    'Python 3.6 and PostgreSQL 11 are now required. If both PostGIS and Postgres',
    'need an update, update PostGIS first and run `ALTER EXTENSION postgis UPDATE;`',
    'in every database.',
  ].join('\n'),
  [
    'Celery now refreshes the statistics every night. Add a worker and a beat',
    'process to your supervisord configuration, next to the existing programs:',
    '',
    fence([
      '[program:catmaid-celery]',
      'directory = /home/catmaid/catmaid/django/projects/',
      'command = /home/catmaid/catmaid/django/env/bin/celery -A mysite worker -l info',
      'user = www-data',
      'stdout_logfile = /var/log/catmaid/celery.log',
      'redirect_stderr = true',
    ]),
  ].join('\n'),
  [
    'The statistics view reads its cache time from settings.py. To keep the old',
    'behaviour, add:',
    '',
    fence(['STATS_CACHE_SECONDS = 3600', 'STATS_INCLUDE_IMPORTS = False'], 'python'),
  ].join('\n'),
  'Run `manage.py migrate` and `manage.py collectstatic -l` after updating.',
];

/** CHANGELOG.md's notes of 2021.12.21: shorter than UPDATE.md's, which alone has the commands. */
export const NOTES_2021_12_21 = [
  'Python 3.8 is now required. A virtualenv update is required.',
  'PostgreSQL 12 and PostGIS 3 are now required, see UPDATE.md.',
  'The skeleton summary is filled by a migration: it can take a while on large databases.',
];

export const UPDATE_NOTES_2021_12_21 = [
  'Python 3.8 is now required. A virtualenv update is required.',
  [
    'PostgreSQL 12 and PostGIS 3 are now required. If both need an update, update',
    'PostGIS first and run `ALTER EXTENSION postgis UPDATE;` in every database of',
    'the cluster, as the Postgres superuser, e.g.:',
    '',
    fence([
      "sudo -u postgres psql -d catmaid -c 'ALTER EXTENSION postgis UPDATE;'",
      "sudo -u postgres psql -d template1 -c 'ALTER EXTENSION postgis UPDATE;'",
    ]),
  ].join('\n'),
  [
    'The skeleton summary is filled by a migration: it can take a while on large',
    'databases.',
  ].join('\n'),
  [
    'Rebuild the edge tables after updating:',
    '',
    'manage.py catmaid_rebuild_edge_table',
  ].join('\n'),
];

/** A release on dev that needs a PostgreSQL major newer than the one installed (`pgMajor`). */
export function notesRequiringPostgres(pgMajor: number): string[] {
  return [
    [
      `PostgreSQL ${pgMajor + 1} is now required. Upgrade the cluster first, then update`,
      'PostGIS in every database:',
      '',
      `sudo pg_upgradecluster ${pgMajor} main`,
      "sudo -u postgres psql -d catmaid -c 'ALTER EXTENSION postgis UPDATE;'",
    ].join('\n'),
    'A virtualenv update is required.',
  ];
}

export const UPDATE_INTRO = [
  'Some CATMAID versions require manual changes to an existing setup. Below these',
  'and other administration related changes are listed in order.',
  '',
].join('\n');
