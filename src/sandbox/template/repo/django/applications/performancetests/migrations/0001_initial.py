from django.db import migrations

# Where CATMAID's performance tests keep the views they time and the results.
forward = """
    CREATE TABLE performancetests_testview (
        id serial PRIMARY KEY,
        method varchar(50) NOT NULL,
        url text NOT NULL,
        data text NOT NULL DEFAULT ''
    );
    CREATE TABLE performancetests_event (
        id serial PRIMARY KEY,
        title text NOT NULL,
        creation_time timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE performancetests_testresult (
        id serial PRIMARY KEY,
        view_id integer NOT NULL REFERENCES performancetests_testview (id) DEFERRABLE INITIALLY DEFERRED,
        event_id integer NOT NULL REFERENCES performancetests_event (id) DEFERRABLE INITIALLY DEFERRED,
        time double precision NOT NULL,
        result text NOT NULL,
        result_code integer NOT NULL,
        creation_time timestamptz NOT NULL DEFAULT now()
    );
"""


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.RunSQL(forward, """
            DROP TABLE performancetests_testresult, performancetests_event, performancetests_testview;
        """),
    ]
