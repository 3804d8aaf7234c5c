import { describe, expect, it } from 'vitest';
import { indexBuild } from '../../src/tasks/backup/rebuild-sql.js';

describe('indexBuild', () => {
  it('builds a plain GiST index with buffering on and resets the option afterwards', () => {
    expect(indexBuild('treenode_edge_gix', 'CREATE INDEX treenode_edge_gix ON public.treenode_edge USING gist (edge gist_geometry_ops_nd)')).toEqual([
      'CREATE INDEX treenode_edge_gix ON public.treenode_edge USING gist (edge gist_geometry_ops_nd) WITH (buffering = on)',
      'ALTER INDEX treenode_edge_gix RESET (buffering)',
    ]);
  });

  it('leaves any other definition as it is: btree, options of its own, a predicate, a tablespace', () => {
    for (const definition of [
      'CREATE INDEX treenode_edge_project_index ON public.treenode_edge USING btree (project_id)',
      'CREATE INDEX g ON public.treenode_edge USING gist (edge gist_geometry_ops_nd) WITH (fillfactor=90)',
      'CREATE INDEX g ON public.treenode_edge USING gist (edge gist_geometry_ops_nd) WHERE (project_id = 1)',
      'CREATE INDEX g ON public.treenode_edge USING gist (edge gist_geometry_ops_nd) TABLESPACE fast',
      'CREATE INDEX g ON public.treenode_edge USING gist (ST_Force2D(edge))',
    ]) expect(indexBuild('g', definition)).toEqual([definition]);
  });
});
