"""
CATMAID's database backend: Django's PostGIS backend, so that geometry columns (the edge tables) and PostGIS's
functions are known to Django, under CATMAID's own name, as settings.py names it in ENGINE.
"""

from django.contrib.gis.db.backends.postgis.base import DatabaseWrapper as PostGISDatabaseWrapper


class DatabaseWrapper(PostGISDatabaseWrapper):
    pass
