from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from catmaid.materializations import EDGE_TABLES, rebuild_edge_tables


class DryRunRollback(Exception):
    pass


class Command(BaseCommand):
    help = 'Rebuild treenode_edge, treenode_connector_edge and connector_geom from the tracing data, in one transaction'

    def add_arguments(self, parser):
        parser.add_argument('--dryrun', action='store_true', dest='dryrun', default=False,
                            help='Do everything, then roll back')
        parser.add_argument('--project_id', dest='project_id', nargs='+', type=int, default=[],
                            help='Only rebuild the edges of these projects')

    def handle(self, *args, **options):
        project_ids = options['project_id']
        dryrun = options['dryrun']
        scope = 'projects {}'.format(', '.join(map(str, project_ids))) if project_ids else 'all projects'
        self.stdout.write('Rebuilding {} for {}{}.'.format(
            ', '.join(EDGE_TABLES), scope, ' (dry run: nothing is kept)' if dryrun else ''))
        self.stdout.write('This can take a while and locks the tables until it is done.')
        self.stdout.flush()
        try:
            answer = input('Continue? [y/N]: ')
        except EOFError:
            answer = ''
        if answer.strip().lower() != 'y':
            raise CommandError('Canceled by user')

        try:
            with transaction.atomic(), connection.cursor() as cursor:
                counts = rebuild_edge_tables(cursor, project_ids)
                for table in EDGE_TABLES:
                    self.stdout.write('{}: {} rows'.format(table, counts[table]))
                if dryrun:
                    raise DryRunRollback()
        except DryRunRollback:
            self.stdout.write('Dry run: rolled back.')
            return
        self.stdout.write(self.style.SUCCESS('Done.'))
