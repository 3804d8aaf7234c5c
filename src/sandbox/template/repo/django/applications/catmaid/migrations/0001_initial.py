from django.conf import settings
from django.db import migrations

# The tables of CATMAID's tracing data, in the shapes a production database has them. PostGIS and pg_trgm
# must already exist in the database: only a Postgres superuser can create them, the CATMAID role cannot.

schema = """
    CREATE TABLE project (
        id serial PRIMARY KEY,
        title text NOT NULL,
        comment text
    );

    -- Semantic objects (classes, relations, their instances) share one id sequence through concept.
    CREATE TABLE concept (
        id serial PRIMARY KEY,
        user_id integer NOT NULL REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED,
        creation_time timestamptz NOT NULL DEFAULT now(),
        edition_time timestamptz NOT NULL DEFAULT now(),
        project_id integer NOT NULL REFERENCES project (id) DEFERRABLE INITIALLY DEFERRED,
        txid bigint NOT NULL DEFAULT txid_current()
    );

    CREATE TABLE class (
        class_name varchar(255) NOT NULL,
        description text
    ) INHERITS (concept);

    CREATE TABLE relation (
        relation_name varchar(255) NOT NULL,
        uri text,
        description text,
        isreciprocal boolean NOT NULL DEFAULT false
    ) INHERITS (concept);

    CREATE TABLE class_instance (
        class_id integer NOT NULL,
        name varchar(255) NOT NULL
    ) INHERITS (concept);

    CREATE TABLE relation_instance (
        relation_id integer NOT NULL
    ) INHERITS (concept);

    -- Every point in space; treenode and connector inherit it and share its id sequence.
    CREATE TABLE location (
        id bigserial PRIMARY KEY,
        project_id integer NOT NULL REFERENCES project (id) DEFERRABLE INITIALLY DEFERRED,
        location_x real NOT NULL,
        location_y real NOT NULL,
        location_z real NOT NULL,
        editor_id integer NOT NULL REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED,
        user_id integer NOT NULL REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED,
        creation_time timestamptz NOT NULL DEFAULT now(),
        edition_time timestamptz NOT NULL DEFAULT now(),
        txid bigint NOT NULL DEFAULT txid_current()
    );

    CREATE TABLE treenode (
        parent_id bigint,
        radius real NOT NULL DEFAULT 0,
        confidence smallint NOT NULL DEFAULT 5,
        skeleton_id integer NOT NULL
    ) INHERITS (location);

    CREATE TABLE connector (
        confidence smallint NOT NULL DEFAULT 5
    ) INHERITS (location);

    CREATE TABLE treenode_connector (
        treenode_id bigint NOT NULL,
        connector_id bigint NOT NULL,
        skeleton_id integer NOT NULL,
        confidence smallint NOT NULL DEFAULT 5
    ) INHERITS (relation_instance);
"""

# Neither primary keys nor foreign keys are inherited: each child table gets its own.
constraints = """
    ALTER TABLE class ADD PRIMARY KEY (id),
        ADD FOREIGN KEY (user_id) REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (project_id) REFERENCES project (id) DEFERRABLE INITIALLY DEFERRED;
    ALTER TABLE relation ADD PRIMARY KEY (id),
        ADD FOREIGN KEY (user_id) REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (project_id) REFERENCES project (id) DEFERRABLE INITIALLY DEFERRED;
    ALTER TABLE class_instance ADD PRIMARY KEY (id),
        ADD FOREIGN KEY (user_id) REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (project_id) REFERENCES project (id) DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (class_id) REFERENCES class (id) DEFERRABLE INITIALLY DEFERRED;
    ALTER TABLE relation_instance ADD PRIMARY KEY (id),
        ADD FOREIGN KEY (relation_id) REFERENCES relation (id) DEFERRABLE INITIALLY DEFERRED;
    ALTER TABLE treenode ADD PRIMARY KEY (id),
        ADD FOREIGN KEY (project_id) REFERENCES project (id) DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (user_id) REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (editor_id) REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (parent_id) REFERENCES treenode (id) DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (skeleton_id) REFERENCES class_instance (id) DEFERRABLE INITIALLY DEFERRED;
    ALTER TABLE connector ADD PRIMARY KEY (id),
        ADD FOREIGN KEY (project_id) REFERENCES project (id) DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (user_id) REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (editor_id) REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED;
    ALTER TABLE treenode_connector ADD PRIMARY KEY (id),
        ADD FOREIGN KEY (project_id) REFERENCES project (id) DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (user_id) REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (relation_id) REFERENCES relation (id) DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (treenode_id) REFERENCES treenode (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (connector_id) REFERENCES connector (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED,
        ADD FOREIGN KEY (skeleton_id) REFERENCES class_instance (id) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED;

    CREATE INDEX treenode_parent_id_index ON treenode (parent_id);
    CREATE INDEX treenode_skeleton_id_index ON treenode (skeleton_id);
    CREATE INDEX treenode_project_id_index ON treenode (project_id);
    CREATE INDEX connector_project_id_index ON connector (project_id);
    CREATE INDEX treenode_connector_treenode_id_index ON treenode_connector (treenode_id);
    CREATE INDEX treenode_connector_connector_id_index ON treenode_connector (connector_id);
    CREATE INDEX treenode_connector_skeleton_id_index ON treenode_connector (skeleton_id);
    CREATE UNIQUE INDEX treenode_connector_project_id_uniq
        ON treenode_connector (project_id, treenode_id, connector_id, relation_id);
    CREATE INDEX class_instance_class_id_index ON class_instance (class_id);
    -- Name search in the neuron lists: the reason pg_trgm must be in the database.
    CREATE INDEX class_instance_name_trgm_idx ON class_instance USING gin (name gin_trgm_ops);
"""

# Derived from the tables above and safe to rebuild: one edge per treenode (a root's edge goes to itself),
# one per treenode_connector link, one point per connector.
derived = """
    CREATE TABLE treenode_edge (
        id bigint PRIMARY KEY,
        parent_id bigint,
        project_id integer NOT NULL,
        edge geometry(LineStringZ) NOT NULL
    );
    CREATE INDEX treenode_edge_gix ON treenode_edge USING gist (edge gist_geometry_ops_nd);
    CREATE INDEX treenode_edge_project_index ON treenode_edge (project_id);

    CREATE TABLE treenode_connector_edge (
        id bigint PRIMARY KEY,
        project_id integer NOT NULL,
        edge geometry(LineStringZ) NOT NULL
    );
    CREATE INDEX treenode_connector_edge_gix ON treenode_connector_edge USING gist (edge gist_geometry_ops_nd);
    CREATE INDEX treenode_connector_edge_project_index ON treenode_connector_edge (project_id);

    CREATE TABLE connector_geom (
        id bigint PRIMARY KEY,
        project_id integer NOT NULL,
        geom geometry(PointZ) NOT NULL
    );
    CREATE INDEX connector_geom_gix ON connector_geom USING gist (geom gist_geometry_ops_nd);
    CREATE INDEX connector_geom_project_index ON connector_geom (project_id);
"""


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunSQL(schema, """
            DROP TABLE treenode_connector, connector, treenode, location, relation_instance, class_instance,
                relation, class, concept, project;
        """),
        migrations.RunSQL(constraints, migrations.RunSQL.noop),
        migrations.RunSQL(derived, "DROP TABLE treenode_edge, treenode_connector_edge, connector_geom;"),
    ]
