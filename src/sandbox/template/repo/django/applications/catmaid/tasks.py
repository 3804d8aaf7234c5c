"""Background tasks run by the celery worker (celery -A mysite worker), like CATMAID's."""
import os

from celery import shared_task
from django.db import connection, transaction

from catmaid.materializations import rebuild_summary_tables


@shared_task(name='catmaid.ping')
def ping():
    """A round trip through the broker and the database: what a health check asks for."""
    with connection.cursor() as cursor:
        cursor.execute('SELECT count(*) FROM project')
        projects = cursor.fetchone()[0]
    return {'pong': True, 'projects': projects, 'pid': os.getpid()}


@shared_task(name='catmaid.update_project_statistics')
def update_project_statistics():
    """Celery beat's refresh of the summary tables (CELERY_BEAT_SCHEDULE)."""
    with transaction.atomic(), connection.cursor() as cursor:
        return rebuild_summary_tables(cursor)
