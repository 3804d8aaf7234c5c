/** A migration of the sandbox's catmaid app, written as plain SQL. */
export interface MigrationSpec {
  /** The part after the number, e.g. `add_stats_summary` → `0005_add_stats_summary.py`. */
  name: string;
  /** Statements run in order. */
  sql: string[];
  /** Statements that undo them; without, the migration cannot be reversed. */
  reverseSql?: string[];
  /**
   * False runs each statement in its own transaction, so a failing later statement leaves the earlier ones
   * applied: a migration that fails half-way, as admins meet them.
   */
  atomic?: boolean;
}

// JSON string literals are valid Python string literals.
const py = (text: string): string => JSON.stringify(text);
const pyList = (items: string[], indent: string): string =>
  `[\n${items.map((item) => `${indent}    ${py(item)},`).join('\n')}\n${indent}]`;

/** The Python source of a RunSQL migration depending on `previous` (e.g. `0003_add_skeleton_summary`). */
export function migrationSource(spec: MigrationSpec, previous: string | null): string {
  const reverse = spec.reverseSql ? pyList(spec.reverseSql, '            ') : 'migrations.RunSQL.noop';
  return [
    'from django.db import migrations',
    '',
    '',
    'class Migration(migrations.Migration):',
    ...(spec.atomic === false ? ['', '    atomic = False'] : []),
    '',
    '    dependencies = [',
    ...(previous ? [`        ('catmaid', ${py(previous)}),`] : []),
    '    ]',
    '',
    '    operations = [',
    '        migrations.RunSQL(',
    `            ${pyList(spec.sql, '            ')},`,
    `            ${reverse},`,
    '        ),',
    '    ]',
    '',
  ].join('\n');
}
