"""
Tables derived from the tracing data, rebuilt from it in plain SQL: the three edge tables that the triggers keep
current, and the summary tables that a release added (only those that exist in this database).
"""

EDGE_TABLES = ('treenode_edge', 'treenode_connector_edge', 'connector_geom')
SUMMARY_TABLES = ('catmaid_skeleton_summary', 'catmaid_stats_summary')

POINT = "ST_MakePoint({0}.location_x, {0}.location_y, {0}.location_z)"

# A root node's edge goes from the node to itself.
FILL = {
    'treenode_edge': """
        INSERT INTO treenode_edge (id, parent_id, project_id, edge)
        SELECT t.id, t.parent_id, t.project_id, ST_MakeLine({t}, {p})
        FROM treenode t JOIN treenode p ON p.id = COALESCE(t.parent_id, t.id)
        {where}
    """,
    'treenode_connector_edge': """
        INSERT INTO treenode_connector_edge (id, project_id, edge)
        SELECT tc.id, tc.project_id, ST_MakeLine({t}, {c})
        FROM treenode_connector tc
        JOIN treenode t ON t.id = tc.treenode_id
        JOIN connector c ON c.id = tc.connector_id
        {where}
    """,
    'connector_geom': """
        INSERT INTO connector_geom (id, project_id, geom)
        SELECT c.id, c.project_id, {c}
        FROM connector c
        {where}
    """,
}
FILL_ALIAS = {'treenode_edge': 't', 'treenode_connector_edge': 'tc', 'connector_geom': 'c'}

SUMMARY_FILL = {
    'catmaid_skeleton_summary': """
        INSERT INTO catmaid_skeleton_summary (skeleton_id, project_id, num_nodes, cable_length)
        SELECT t.skeleton_id, min(t.project_id), count(*), coalesce(sum(ST_3DLength(e.edge)), 0)
        FROM treenode t LEFT JOIN treenode_edge e ON e.id = t.id
        GROUP BY t.skeleton_id
    """,
    'catmaid_stats_summary': """
        INSERT INTO catmaid_stats_summary (project_id, date, n_treenodes, n_connectors)
        SELECT project_id, day, sum(n_treenodes), sum(n_connectors)
        FROM (
            SELECT project_id, date_trunc('day', creation_time) AS day, count(*) AS n_treenodes, 0 AS n_connectors
            FROM treenode GROUP BY 1, 2
            UNION ALL
            SELECT project_id, date_trunc('day', creation_time), 0, count(*)
            FROM connector GROUP BY 1, 2
        ) counts
        GROUP BY project_id, day
    """,
}


def fill_sql(table, project_ids):
    where = 'WHERE {}.project_id = ANY(%s)'.format(FILL_ALIAS[table]) if project_ids else ''
    return FILL[table].format(t=POINT.format('t'), p=POINT.format('p'), c=POINT.format('c'), where=where)


def secondary_indexes(cursor, table):
    """Name and definition of the table's indexes that no constraint needs (the GiST and project ones)."""
    cursor.execute("""
        SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index
        WHERE indrelid = %s::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conindid = indexrelid)
    """, [table])
    return cursor.fetchall()


def rebuild_edge_tables(cursor, project_ids=None):
    """
    Empty and refill the three edge tables (of the given projects only, when named); rows per table. A full
    rebuild fills them without their secondary indexes and builds those afterwards: a GiST index grown row by
    row takes several times as long as one built over the finished table.
    """
    counts = {}
    cursor.execute("SET LOCAL work_mem = '256MB'")
    cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
    if not project_ids:
        cursor.execute('TRUNCATE {}'.format(', '.join(EDGE_TABLES)))
    for table in EDGE_TABLES:
        indexes = [] if project_ids else secondary_indexes(cursor, table)
        for name, _ in indexes:
            cursor.execute('DROP INDEX {}'.format(name))
        if project_ids:
            cursor.execute('DELETE FROM {} WHERE project_id = ANY(%s)'.format(table), [project_ids])
        cursor.execute(fill_sql(table, project_ids), [project_ids] if project_ids else [])
        counts[table] = cursor.rowcount
        for _, definition in indexes:
            cursor.execute(definition)
    return counts


def existing_summary_tables(cursor):
    cursor.execute('SELECT relname FROM pg_class WHERE relkind = %s AND relname = ANY(%s) '
                   'AND pg_table_is_visible(oid)', ['r', list(SUMMARY_TABLES)])
    found = {row[0] for row in cursor.fetchall()}
    return [table for table in SUMMARY_TABLES if table in found]


def rebuild_summary_tables(cursor):
    """Refill the summary tables this database has (after the edge tables: cable length comes from them)."""
    counts = {}
    for table in existing_summary_tables(cursor):
        cursor.execute('TRUNCATE {}'.format(table))
        cursor.execute(SUMMARY_FILL[table])
        counts[table] = cursor.rowcount
    return counts
