from celery import shared_task
from django.db import connection, transaction

from catmaid.materializations import rebuild_summary_tables


@shared_task
def update_project_statistics():
    """Celery beat's nightly refresh of the summary tables."""
    with transaction.atomic(), connection.cursor() as cursor:
        return rebuild_summary_tables(cursor)
