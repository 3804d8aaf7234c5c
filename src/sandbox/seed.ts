import type { SandboxSize } from './types.js';

/** Skeletons × nodes per skeleton: small ≈ 10k treenodes in a second, large ≈ 2 million (benchmarks). */
export const SEED_SCALE: Record<SandboxSize, { skeletons: number; nodes: number }> = {
  small: { skeletons: 20, nodes: 500 },
  large: { skeletons: 2000, nodes: 1000 },
};

/**
 * Skeleton s is class_instance SKELETON_BASE + s; classes and relations take the ids below it. Each project's
 * skeleton class has the project's id, so one expression gives both.
 */
const SKELETON_BASE = 100;

/**
 * Seed data for the core tables, run by the CATMAID role itself with every trigger on, as CATMAID's own
 * imports write it: the triggers fill treenode_edge, connector_geom and treenode_connector_edge. Skeletons are
 * trees (mostly chains, a branch every 20 nodes); every fifth belongs to project 2. Treenodes and connectors
 * share location's id sequence (connectors follow the last treenode). Each connector links a node
 * (presynaptic) to a node of the skeleton 5 further or back (postsynaptic), so both sit in one project.
 * `bulk` (the default for large) loads the rows before the keys and indexes are built again.
 */
export function seedSql(size: SandboxSize, options: { bulk?: boolean } = {}): string {
  const data = seedData(size);
  return `
BEGIN;
${options.bulk ?? size === 'large' ? withIndexesAndKeysAfter(data) : data}
COMMIT;
ANALYZE auth_user, project, concept, class, relation, class_instance, relation_instance, location, treenode, connector,
  treenode_connector, treenode_edge, treenode_connector_edge, connector_geom;
`;
}

/** The tables whose keys, indexes and foreign keys a bulk load builds after the rows, as pg_restore does. */
const BULK_TABLES = ['treenode', 'connector', 'treenode_connector', 'treenode_edge', 'treenode_connector_edge', 'connector_geom'];

/**
 * Millions of rows go in first and get their keys, indexes and foreign keys (checked over all rows at once when
 * added again) afterwards, each re-created from its own definition in the catalog: row by row, the checks and
 * GiST inserts take many minutes. The triggers stay on and fill the derived tables.
 */
function withIndexesAndKeysAfter(data: string): string {
  const tables = BULK_TABLES.map((t) => `'${t}'::regclass`).join(', ');
  return `
SET LOCAL work_mem = '256MB';
SET LOCAL maintenance_work_mem = '512MB';
CREATE TEMP TABLE seed_deferred_ddl (step int, drop_sql text, create_sql text) ON COMMIT DROP;
INSERT INTO seed_deferred_ddl
SELECT CASE contype WHEN 'f' THEN 3 ELSE 1 END, format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
       format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
FROM pg_constraint WHERE contype IN ('p', 'u', 'f') AND conrelid IN (${tables})
UNION ALL
SELECT 2, format('DROP INDEX %s', indexrelid::regclass), pg_get_indexdef(indexrelid)
FROM pg_index WHERE indrelid IN (${tables}) AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid);
DO $$ DECLARE ddl record; BEGIN
  FOR ddl IN SELECT drop_sql FROM seed_deferred_ddl ORDER BY step DESC LOOP EXECUTE ddl.drop_sql; END LOOP;
END $$;
${data}
DO $$ DECLARE ddl record; BEGIN
  FOR ddl IN SELECT create_sql FROM seed_deferred_ddl ORDER BY step LOOP EXECUTE ddl.create_sql; END LOOP;
END $$;`;
}

function seedData(size: SandboxSize): string {
  const { skeletons: S, nodes: N } = SEED_SCALE[size];
  const total = S * N;
  const connectors = Math.floor(total / 20);
  const project = (s: string) => `CASE WHEN ${s} % 5 = 0 THEN 2 ELSE 1 END`;
  return `
INSERT INTO auth_user (id, password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined)
VALUES (1, '!', true, 'admin', 'Ada', 'Tracer', 'admin@catmaid.invalid', true, true, now()),
       (2, '!', false, 'tracer', 'Ben', 'Arbor', 'tracer@catmaid.invalid', false, true, now());
INSERT INTO project (id, title, comment) VALUES
  (1, 'Sandbox project', 'Seeded by catmaid-tui sandbox'), (2, 'Second project', NULL);
INSERT INTO class (id, user_id, project_id, class_name, description)
VALUES (1, 1, 1, 'skeleton', ''), (2, 1, 2, 'skeleton', '');
INSERT INTO relation (id, user_id, project_id, relation_name, uri, description)
SELECT 2 + row_number() OVER (), 1, p, name, '', ''
FROM (VALUES (1), (2)) AS projects(p), (VALUES ('presynaptic_to'), ('postsynaptic_to')) AS names(name);
INSERT INTO class_instance (id, user_id, project_id, class_id, name)
SELECT ${SKELETON_BASE} + s, 1 + s % 2, ${project('s')}, ${project('s')}, 'skeleton ' || (${SKELETON_BASE} + s)
FROM generate_series(1, ${S}) AS s;
SELECT setval('concept_id_seq', ${SKELETON_BASE + S});
INSERT INTO treenode (id, project_id, parent_id, skeleton_id, location_x, location_y, location_z,
                      radius, confidence, user_id, editor_id, creation_time, edition_time)
SELECT (s - 1) * ${N} + i,
       ${project('s')},
       CASE WHEN i = 1 THEN NULL WHEN i % 20 = 0 THEN (s - 1) * ${N} + i / 2 ELSE (s - 1) * ${N} + i - 1 END,
       ${SKELETON_BASE} + s,
       s * 1000.0 + i * 3.5 + (i % 7) * 2.0,
       s * 500.0 + (i % 50) * 4.0 + sin(i) * 20,
       (i / 10) * 40.0,
       -1, 5, 1 + s % 2, 1 + s % 2, now() - (s % 30) * interval '1 day', now()
FROM generate_series(1, ${S}) AS s, generate_series(1, ${N}) AS i;
INSERT INTO connector (id, project_id, location_x, location_y, location_z, confidence, user_id, editor_id,
                       creation_time, edition_time)
SELECT ${total} + c, t.project_id, t.location_x + 15, t.location_y + 15, t.location_z, 5, t.user_id, t.user_id,
       t.creation_time, t.edition_time
FROM generate_series(1, ${connectors}) AS c
JOIN treenode t ON t.id = c * 20;
SELECT setval('location_id_seq', ${total + connectors});
INSERT INTO treenode_connector (user_id, project_id, relation_id, treenode_id, connector_id, skeleton_id, confidence)
SELECT t.user_id, c.project_id, r.id, t.id, c.id, t.skeleton_id, 5
FROM connector c
JOIN treenode t ON t.id = (c.id - ${total}) * 20
JOIN relation r ON r.project_id = c.project_id AND r.relation_name = 'presynaptic_to'
UNION ALL
SELECT t.user_id, c.project_id, r.id, t.id, c.id, t.skeleton_id, 5
FROM connector c
JOIN treenode t ON t.id = CASE WHEN (c.id - ${total}) * 20 + ${5 * N} <= ${total}
                               THEN (c.id - ${total}) * 20 + ${5 * N} ELSE (c.id - ${total}) * 20 - ${5 * N} END
JOIN relation r ON r.project_id = c.project_id AND r.relation_name = 'postsynaptic_to';
SELECT setval('project_id_seq', 2);
SELECT setval('auth_user_id_seq', 2);`;
}
