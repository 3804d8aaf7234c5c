import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { OriginWriter, type CommitSpec, type ReleaseSpec } from './origin-writer.js';
import { templateDir } from './template-dir.js';

/** The release the sandbox's checkout sits on, so that an update to the newest one is available. */
export const CHECKOUT_RELEASE = '2020.02.15';
export const RELEASES = ['2019.06.20', '2020.02.15', '2021.12.21'] as const;

const staticJs = (name: string, what: string): { name: string; content: string } => ({
  name,
  content: `/* ${what} */\nwindow.CATMAID = window.CATMAID || {};\nCATMAID.${name.replace(/\W/g, '_')} = true;\n`,
});

const INITIAL_CHANGELOG: CommitSpec['changelog'] = {
  features: ['Tracing: treenodes, connectors and their links in PostgreSQL.'],
};

/** Three releases in CATMAID's style, each with a migration, a static file and notes for admins. */
export const INITIAL_RELEASES: ReleaseSpec[] = [
  {
    version: '2019.06.20',
    contributors: ['Ada Tracer', 'Ben Arbor'],
    notes: ['Requires PostgreSQL 10 or newer.', 'A virtualenv update is required.'],
    features: ['Statistics: a summary table of tracing per project.'],
    fixes: ['Tracing: moving a root node updates its edge.'],
    migrations: [{
      name: 'add_stats_summary',
      sql: ['CREATE TABLE catmaid_stats_summary (id serial PRIMARY KEY, project_id integer NOT NULL '
        + 'REFERENCES project (id) ON DELETE CASCADE, date timestamptz NOT NULL DEFAULT now(), '
        + 'n_treenodes integer NOT NULL DEFAULT 0, n_connectors integer NOT NULL DEFAULT 0)'],
      reverseSql: ['DROP TABLE catmaid_stats_summary'],
    }],
    staticFiles: [staticJs('stats-widget.js', 'Statistics widget (2019.06.20).')],
  },
  {
    version: '2020.02.15',
    contributors: ['Ada Tracer', 'Carl Dendrite'],
    notes: ['Requires PostgreSQL 11 or newer and Python 3.6 or newer.',
      'Run `manage.py migrate` and `manage.py collectstatic -l` after updating.'],
    features: ['Skeleton summary table for faster neuron lists.'],
    fixes: ['Connector table: sorting by confidence works again.'],
    migrations: [{
      name: 'add_skeleton_summary',
      sql: ['CREATE TABLE catmaid_skeleton_summary (skeleton_id bigint PRIMARY KEY, project_id integer NOT NULL '
        + 'REFERENCES project (id) ON DELETE CASCADE, num_nodes integer NOT NULL DEFAULT 0, '
        + 'cable_length double precision NOT NULL DEFAULT 0)'],
      reverseSql: ['DROP TABLE catmaid_skeleton_summary'],
    }],
    staticFiles: [staticJs('neuron-navigator.js', 'Neuron navigator (2020.02.15).')],
  },
  {
    version: '2021.12.21',
    contributors: ['Ada Tracer', 'Ben Arbor', 'Dora Axon'],
    notes: ['Requires PostgreSQL 13 and PostGIS 3.1.', 'A virtualenv update is required.',
      'The skeleton summary is filled by a migration: it can take a while on large databases.',
      'Run `manage.py catmaid_rebuild_edge_table` after updating.'],
    features: ['Neuron lists show node counts from the skeleton summary.'],
    fixes: ['Edge table: root nodes get a point edge.'],
    migrations: [{
      name: 'fill_skeleton_summary',
      sql: ['INSERT INTO catmaid_skeleton_summary (skeleton_id, project_id, num_nodes) '
        + 'SELECT skeleton_id, min(project_id), count(*) FROM treenode GROUP BY skeleton_id '
        + 'ON CONFLICT (skeleton_id) DO UPDATE SET num_nodes = EXCLUDED.num_nodes'],
      reverseSql: ['DELETE FROM catmaid_skeleton_summary'],
    }],
    staticFiles: [staticJs('skeleton-summary.js', 'Skeleton summary view (2021.12.21).')],
  },
];

/** Work on master after the last release, and a dev branch ahead of it (CATMAID develops on dev). */
const AFTER_RELEASE: CommitSpec[] = [
  {
    message: 'Tracing: show the skeleton id in the node tooltip',
    changelog: { features: ['Tracing: the node tooltip shows the skeleton id.'] },
    staticFiles: [staticJs('node-tooltip.js', 'Node tooltip (under development).')],
  },
  { message: 'Edge table: document the rebuild command', changelog: { fixes: ['Documentation of catmaid_rebuild_edge_table.'] } },
];
const DEV_ONLY: CommitSpec = { message: 'dev: start the next release cycle', changelog: { notes: ['Requires Python 3.8.'] } };

/** Build DIR/origin.git: the initial import, the releases, work after them on master, and a dev branch. */
export async function buildOrigin(origin: string): Promise<void> {
  await fs.promises.mkdir(path.dirname(origin), { recursive: true });
  await execa('git', ['init', '--quiet', '--bare', '--initial-branch=master', origin]);
  const writer = await OriginWriter.open(origin);
  try {
    await writer.importTree(path.join(templateDir(), 'repo'));
    await writer.commit({ message: 'Initial import', date: '2018-11-09T12:00:00+00:00', changelog: INITIAL_CHANGELOG,
      files: [{ path: 'UPDATE.md', content: '# Updating CATMAID\n\nWhat administrators must do for each release.\n' }] });
    for (const release of INITIAL_RELEASES) await writer.release(release);
    for (const commit of AFTER_RELEASE) await writer.commit(commit);
    await writer.switchTo('dev');
    await writer.commit(DEV_ONLY);
    await writer.switchTo('master');
    await writer.publish();
  } finally {
    await writer.close();
  }
}
