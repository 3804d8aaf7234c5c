import path from 'node:path';
import { execa } from 'execa';
import { withClient } from '../db/connect.js';
import { CliError } from '../errors.js';
import type { DatabaseSettings } from '../instance/types.js';
import type { TaskLog } from '../task-log.js';

export interface EdgeCounts {
  treenodes: number;
  edges: number;
}

const COUNT_SQL = `SELECT (SELECT count(*) FROM treenode) AS treenodes, (SELECT count(*) FROM treenode_edge) AS edges`;

export async function edgeCounts(db: DatabaseSettings): Promise<EdgeCounts> {
  return withClient(db, async (client) => {
    const row = (await client.query(COUNT_SQL)).rows[0] as { treenodes: string; edges: string };
    return { treenodes: Number(row.treenodes), edges: Number(row.edges) };
  });
}

/** Every treenode has its edge row (to its parent, or to itself at the root), so an empty table with nodes is wrong. */
export function edgeTableFilled(counts: EdgeCounts): boolean {
  return counts.treenodes === 0 || counts.edges > 0;
}

export interface RebuildInput {
  db: DatabaseSettings;
  /** The instance's python (django/env/bin/python when the virtualenv exists). */
  python: string;
  managePy: string;
  log?: TaskLog;
  signal?: AbortSignal;
}

/**
 * `manage.py catmaid_rebuild_edge_table`, answering its `Continue? [y/N]:` with y, then a check that the table is
 * filled again: the command's own success line is not proof.
 */
export async function rebuildEdgeTable(input: RebuildInput): Promise<EdgeCounts> {
  const args = [input.managePy, 'catmaid_rebuild_edge_table'];
  input.log?.command(input.python, args);
  const run = await execa(input.python, args, {
    cwd: path.dirname(input.managePy),
    input: 'y\n',
    all: true,
    reject: false,
    cancelSignal: input.signal,
  });
  input.log?.output(run.all ?? '');
  if (run.exitCode !== 0) {
    const last = (run.all ?? '').trim().split('\n').at(-1) ?? `exit ${run.exitCode}`;
    throw new CliError(
      `rebuilding the edge table failed: ${last}`,
      1,
      `the data is restored; run by hand: ${input.python} ${input.managePy} catmaid_rebuild_edge_table`,
    );
  }
  const counts = await edgeCounts(input.db);
  input.log?.line(`edge table: ${counts.edges} edges for ${counts.treenodes} treenodes`);
  if (!edgeTableFilled(counts)) {
    throw new CliError(
      `the edge table is still empty after the rebuild (${counts.treenodes} treenodes)`,
      1,
      'run manage.py catmaid_rebuild_edge_table by hand and read its output',
    );
  }
  return counts;
}
