import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { nameUpdateSection, UNDER_DEVELOPMENT } from './changelog.js';
import {
  NOTES_2019_06_20, NOTES_2020_02_15, NOTES_2021_12_21, notesRequiringPostgres, UPDATE_INTRO, UPDATE_NOTES_2021_12_21,
} from './history-notes.js';
import { OriginWriter, type CommitSpec, type ReleaseSpec } from './origin-writer.js';
import { templateDir } from './template-dir.js';

/** The release the sandbox's checkout sits on, so that an update to the newest one is available. */
export const CHECKOUT_RELEASE = '2020.02.15';
/** The releases on master. */
export const RELEASES = ['2019.06.20', '2020.02.15', '2021.12.21'] as const;
/** A release tagged on dev only, whose notes require a PostgreSQL major above the installed one. */
export const DEV_RELEASE = '2022.12.12';

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
    notes: NOTES_2019_06_20,
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
    notes: NOTES_2020_02_15,
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
    notes: NOTES_2021_12_21,
    // As at CATMAID's 2021.12.21: UPDATE.md says more than CHANGELOG.md and still heads it "Under development".
    updateNotes: UPDATE_NOTES_2021_12_21,
    updateHeading: UNDER_DEVELOPMENT,
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

/**
 * Work on master after the last release: `stable` moves onto the first commit (so a plain `git describe --tags`
 * says `stable-1-g…`), the second gives UPDATE.md's section its release heading at last.
 */
const AFTER_RELEASE: CommitSpec[] = [
  {
    message: 'Tracing: show the skeleton id in the node tooltip',
    changelog: { features: ['Tracing: the node tooltip shows the skeleton id.'] },
    staticFiles: [staticJs('node-tooltip.js', 'Node tooltip (under development).')],
    stable: true,
  },
  {
    message: 'Edge table: document the rebuild command; UPDATE.md: head the 2021.12.21 notes with the release',
    changelog: { fixes: ['Documentation of catmaid_rebuild_edge_table.'] },
    edits: [{ path: 'UPDATE.md', change: (text) => nameUpdateSection(text, UNDER_DEVELOPMENT, '2021.12.21') }],
  },
];
const DEV_ONLY: CommitSpec = { message: 'dev: start the next release cycle', changelog: { notes: ['Requires Python 3.8.'] } };

function devRelease(pgMajor: number): ReleaseSpec {
  return {
    version: DEV_RELEASE,
    contributors: ['Ada Tracer', 'Eve Synapse'],
    notes: notesRequiringPostgres(pgMajor),
    features: ['Tracing: faster spatial queries with the newest PostgreSQL.'],
    fixes: [],
    staticFiles: [staticJs('spatial-index.js', `Spatial index (${DEV_RELEASE}).`)],
    stable: false,
  };
}

/**
 * Build DIR/origin.git: the initial import, the releases, work after them on master, and a dev branch with a
 * release that needs PostgreSQL `pgMajor` + 1 (the installed major, read at build time).
 */
export async function buildOrigin(origin: string, pgMajor: number): Promise<void> {
  await fs.promises.mkdir(path.dirname(origin), { recursive: true });
  await execa('git', ['init', '--quiet', '--bare', '--initial-branch=master', origin]);
  const writer = await OriginWriter.open(origin);
  try {
    await writer.importTree(path.join(templateDir(), 'repo'));
    await writer.commit({ message: 'Initial import', date: '2018-11-09T12:00:00+00:00', changelog: INITIAL_CHANGELOG,
      files: [{ path: 'UPDATE.md', content: UPDATE_INTRO }] });
    for (const release of INITIAL_RELEASES) await writer.release(release);
    for (const commit of AFTER_RELEASE) await writer.commit(commit);
    await writer.switchTo('dev');
    await writer.commit(DEV_ONLY);
    await writer.release(devRelease(pgMajor));
    await writer.switchTo('master');
    await writer.publish();
  } finally {
    await writer.close();
  }
}
