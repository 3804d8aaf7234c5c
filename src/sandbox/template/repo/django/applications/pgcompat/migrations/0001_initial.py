from django.db import migrations

# Functions that let CATMAID's SQL run unchanged on every supported PostgreSQL version.
forward = """
    CREATE FUNCTION pgcompat_least_float(a real, b real) RETURNS real
        LANGUAGE sql IMMUTABLE AS $$ SELECT LEAST(a, b) $$;
"""


class Migration(migrations.Migration):

    initial = True

    dependencies = []

    operations = [
        migrations.RunSQL(forward, "DROP FUNCTION pgcompat_least_float(real, real);"),
    ]
