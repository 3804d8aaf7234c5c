from django.core.management.base import BaseCommand
from django.db import connection, transaction

from catmaid.materializations import rebuild_edge_tables, rebuild_summary_tables


class Command(BaseCommand):
    help = 'Rebuild the edge tables and the summary tables this database has, in one transaction, without asking'

    def handle(self, *args, **options):
        with transaction.atomic(), connection.cursor() as cursor:
            counts = rebuild_edge_tables(cursor)
            counts.update(rebuild_summary_tables(cursor))
        for table, rows in counts.items():
            self.stdout.write('{}: {} rows'.format(table, rows))
        self.stdout.write(self.style.SUCCESS('Done.'))
