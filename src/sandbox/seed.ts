import type { SandboxSize } from './types.js';

/** Skeletons × nodes per skeleton: small ≈ 10k treenodes in a second, large ≈ 2 million (benchmarks). */
export const SEED_SCALE: Record<SandboxSize, { skeletons: number; nodes: number }> = {
  small: { skeletons: 20, nodes: 500 },
  large: { skeletons: 2000, nodes: 1000 },
};

/**
 * Set-based seed data for the core tables, run as the cluster superuser in one transaction. Skeletons are
 * trees (mostly chains, a branch every 20 nodes); every fifth skeleton belongs to project 2. Each connector
 * links a node (presynaptic) to a node of a skeleton 5 further or back (postsynaptic), so both sit in one
 * project. Foreign keys are consistent by construction, so their triggers are skipped (replica role).
 */
export function seedSql(size: SandboxSize): string {
  const { skeletons: S, nodes: N } = SEED_SCALE[size];
  const total = S * N;
  return `
BEGIN;
SET LOCAL session_replication_role = replica;
INSERT INTO project (id, title, comment) VALUES
  (1, 'Sandbox project', 'Seeded by catmaid-tui sandbox'), (2, 'Second project', NULL);
INSERT INTO treenode (id, project_id, parent_id, skeleton_id, location_x, location_y, location_z,
                      radius, confidence, creation_time, edition_time)
SELECT (s - 1) * ${N} + i,
       CASE WHEN s % 5 = 0 THEN 2 ELSE 1 END,
       CASE WHEN i = 1 THEN NULL WHEN i % 20 = 0 THEN (s - 1) * ${N} + i / 2 ELSE (s - 1) * ${N} + i - 1 END,
       s,
       s * 1000.0 + i * 3.5 + (i % 7) * 2.0,
       s * 500.0 + (i % 50) * 4.0 + sin(i) * 20,
       (i / 10) * 40.0,
       -1, 5, now(), now()
FROM generate_series(1, ${S}) AS s, generate_series(1, ${N}) AS i;
INSERT INTO connector (id, project_id, location_x, location_y, location_z, confidence, creation_time, edition_time)
SELECT c, t.project_id, t.location_x + 15, t.location_y + 15, t.location_z, 5, now(), now()
FROM generate_series(1, ${Math.floor(total / 20)}) AS c
JOIN treenode t ON t.id = c * 20;
INSERT INTO treenode_connector (project_id, treenode_id, connector_id, skeleton_id, relation_name, confidence)
SELECT c.project_id, t.id, c.id, t.skeleton_id, 'presynaptic_to', 5
FROM connector c JOIN treenode t ON t.id = c.id * 20
UNION ALL
SELECT c.project_id, t.id, c.id, t.skeleton_id, 'postsynaptic_to', 5
FROM connector c JOIN treenode t
  ON t.id = CASE WHEN c.id * 20 + ${5 * N} <= ${total} THEN c.id * 20 + ${5 * N} ELSE c.id * 20 - ${5 * N} END;
INSERT INTO treenode_edge (id, project_id, start_x, start_y, start_z, end_x, end_y, end_z)
SELECT t.id, t.project_id, t.location_x, t.location_y, t.location_z,
       COALESCE(p.location_x, t.location_x), COALESCE(p.location_y, t.location_y), COALESCE(p.location_z, t.location_z)
FROM treenode t LEFT JOIN treenode p ON p.id = t.parent_id;
SELECT setval(pg_get_serial_sequence('project', 'id'), 2);
SELECT setval(pg_get_serial_sequence('treenode', 'id'), ${total});
SELECT setval(pg_get_serial_sequence('connector', 'id'), ${Math.floor(total / 20)});
COMMIT;
ANALYZE;
`;
}
