from django.db import migrations

# Statement-level triggers with transition tables keep treenode_edge, treenode_connector_edge and connector_geom
# current: one call per statement, however many rows it touches, so importing a million nodes stays one join.
# Like CATMAID's, the functions do not pin a search_path: they resolve their tables and PostGIS's functions
# through the caller's, which a data-only restore into existing tables (pg_dump sets it to '') does not provide;
# a full restore creates the triggers after the data.

point = "ST_MakePoint({0}.location_x, {0}.location_y, {0}.location_z)"
parent_point = ("ST_MakePoint(COALESCE(p.location_x, t.location_x), COALESCE(p.location_y, t.location_y), "
                "COALESCE(p.location_z, t.location_z))")
node_edge = "ST_MakeLine({}, {})".format(point.format('t'), parent_point)
link_edge = "ST_MakeLine({}, {})".format(point.format('t'), point.format('c'))
moved = ("({0}.location_x, {0}.location_y, {0}.location_z) IS DISTINCT FROM "
         "(o.location_x, o.location_y, o.location_z)")

functions = """
    CREATE FUNCTION on_insert_treenode_update_edges() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO treenode_edge (id, parent_id, project_id, edge)
        SELECT t.id, t.parent_id, t.project_id, {node_edge}
        FROM inserted_treenode t LEFT JOIN treenode p ON p.id = t.parent_id;
        RETURN NULL;
    END;
    $$;

    -- A node that moved or changed parent or project gets a new edge, and so do the children of a moved
    -- node and its links to connectors.
    CREATE FUNCTION on_edit_treenode_update_edges() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        WITH changed AS (
            SELECT t.id, {moved_t} AS moved
            FROM new_treenode t JOIN old_treenode o ON o.id = t.id
            WHERE (t.location_x, t.location_y, t.location_z, t.parent_id, t.project_id)
                IS DISTINCT FROM (o.location_x, o.location_y, o.location_z, o.parent_id, o.project_id)
        ), affected AS (
            SELECT id FROM changed
            UNION
            SELECT child.id FROM treenode child JOIN changed ON child.parent_id = changed.id WHERE changed.moved
        )
        UPDATE treenode_edge e
        SET parent_id = t.parent_id, project_id = t.project_id, edge = {node_edge}
        FROM affected a JOIN treenode t ON t.id = a.id LEFT JOIN treenode p ON p.id = t.parent_id
        WHERE e.id = a.id;

        UPDATE treenode_connector_edge e
        SET edge = {link_edge}
        FROM new_treenode t JOIN old_treenode o ON o.id = t.id
        JOIN treenode_connector tc ON tc.treenode_id = t.id
        JOIN connector c ON c.id = tc.connector_id
        WHERE e.id = tc.id AND {moved_t};
        RETURN NULL;
    END;
    $$;

    CREATE FUNCTION on_delete_treenode_update_edges() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM treenode_edge e USING deleted_treenode d WHERE e.id = d.id;
        RETURN NULL;
    END;
    $$;

    CREATE FUNCTION on_insert_connector_update_geom() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO connector_geom (id, project_id, geom)
        SELECT c.id, c.project_id, {point_c} FROM inserted_connector c;
        RETURN NULL;
    END;
    $$;

    CREATE FUNCTION on_edit_connector_update_geom() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE connector_geom g
        SET project_id = c.project_id, geom = {point_c}
        FROM new_connector c WHERE g.id = c.id;

        UPDATE treenode_connector_edge e
        SET edge = {link_edge}
        FROM new_connector c JOIN old_connector o ON o.id = c.id
        JOIN treenode_connector tc ON tc.connector_id = c.id
        JOIN treenode t ON t.id = tc.treenode_id
        WHERE e.id = tc.id AND {moved_c};
        RETURN NULL;
    END;
    $$;

    CREATE FUNCTION on_delete_connector_update_geom() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM connector_geom g USING deleted_connector d WHERE g.id = d.id;
        RETURN NULL;
    END;
    $$;

    CREATE FUNCTION on_insert_treenode_connector_update_edges() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO treenode_connector_edge (id, project_id, edge)
        SELECT tc.id, tc.project_id, {link_edge}
        FROM inserted_treenode_connector tc
        JOIN treenode t ON t.id = tc.treenode_id
        JOIN connector c ON c.id = tc.connector_id;
        RETURN NULL;
    END;
    $$;

    CREATE FUNCTION on_edit_treenode_connector_update_edges() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        UPDATE treenode_connector_edge e
        SET project_id = tc.project_id, edge = {link_edge}
        FROM new_treenode_connector tc
        JOIN treenode t ON t.id = tc.treenode_id
        JOIN connector c ON c.id = tc.connector_id
        WHERE e.id = tc.id;
        RETURN NULL;
    END;
    $$;

    CREATE FUNCTION on_delete_treenode_connector_update_edges() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        DELETE FROM treenode_connector_edge e USING deleted_treenode_connector d WHERE e.id = d.id;
        RETURN NULL;
    END;
    $$;
""".format(node_edge=node_edge, link_edge=link_edge, point_c=point.format('c'),
           moved_t=moved.format('t'), moved_c=moved.format('c'))


# Trigger and function share a name, as in CATMAID: on_<event>_<table>_<what it updates>.
TRIGGERS = {'treenode': 'update_edges', 'connector': 'update_geom', 'treenode_connector': 'update_edges'}


def triggers_of(table, what):
    return """
    CREATE TRIGGER on_insert_{t}_{w} AFTER INSERT ON {t}
        REFERENCING NEW TABLE AS inserted_{t}
        FOR EACH STATEMENT EXECUTE FUNCTION on_insert_{t}_{w}();
    CREATE TRIGGER on_edit_{t}_{w} AFTER UPDATE ON {t}
        REFERENCING OLD TABLE AS old_{t} NEW TABLE AS new_{t}
        FOR EACH STATEMENT EXECUTE FUNCTION on_edit_{t}_{w}();
    CREATE TRIGGER on_delete_{t}_{w} AFTER DELETE ON {t}
        REFERENCING OLD TABLE AS deleted_{t}
        FOR EACH STATEMENT EXECUTE FUNCTION on_delete_{t}_{w}();
    """.format(t=table, w=what)


def drop_of(table, what):
    return ''.join("""
    DROP TRIGGER on_{e}_{t}_{w} ON {t};
    DROP FUNCTION on_{e}_{t}_{w}();
    """.format(e=event, t=table, w=what) for event in ('insert', 'edit', 'delete'))


class Migration(migrations.Migration):

    dependencies = [
        ('catmaid', '0001_initial'),
    ]

    operations = [
        migrations.RunSQL(functions + ''.join(triggers_of(t, w) for t, w in TRIGGERS.items()),
                          ''.join(drop_of(t, w) for t, w in TRIGGERS.items())),
    ]
