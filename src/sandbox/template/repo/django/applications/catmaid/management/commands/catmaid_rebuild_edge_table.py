from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction


class DryRunRollback(Exception):
    pass


DELETE_EDGES = "DELETE FROM treenode_edge {where}"

INSERT_EDGES = """
    INSERT INTO treenode_edge (id, project_id, start_x, start_y, start_z, end_x, end_y, end_z)
    SELECT t.id, t.project_id, t.location_x, t.location_y, t.location_z,
           COALESCE(p.location_x, t.location_x), COALESCE(p.location_y, t.location_y),
           COALESCE(p.location_z, t.location_z)
    FROM treenode t
    LEFT JOIN treenode p ON p.id = t.parent_id
    {where}
"""


class Command(BaseCommand):
    help = 'Rebuild the treenode_edge table from treenode, in one transaction'

    def add_arguments(self, parser):
        parser.add_argument('--dryrun', action='store_true', dest='dryrun', default=False,
                            help='Do everything, then roll back')
        parser.add_argument('--project_id', dest='project_id', nargs='+', type=int, default=[],
                            help='Only rebuild the edges of these projects')

    def handle(self, *args, **options):
        project_ids = options['project_id']
        dryrun = options['dryrun']
        scope = 'projects {}'.format(', '.join(map(str, project_ids))) if project_ids else 'all projects'
        self.stdout.write('Rebuilding treenode_edge for {}{}.'.format(
            scope, ' (dry run: nothing is kept)' if dryrun else ''))
        self.stdout.write('This can take a while and locks the table until it is done.')
        self.stdout.flush()
        try:
            answer = input('Continue? [y/N]: ')
        except EOFError:
            answer = ''
        if answer.strip().lower() != 'y':
            raise CommandError('Canceled by user')

        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    if project_ids:
                        cursor.execute(DELETE_EDGES.format(where='WHERE project_id = ANY(%s)'), [project_ids])
                        deleted = cursor.rowcount
                        cursor.execute(INSERT_EDGES.format(where='WHERE t.project_id = ANY(%s)'), [project_ids])
                    else:
                        cursor.execute(DELETE_EDGES.format(where=''))
                        deleted = cursor.rowcount
                        cursor.execute(INSERT_EDGES.format(where=''))
                    inserted = cursor.rowcount
                self.stdout.write('Removed {} edges, created {} edges.'.format(deleted, inserted))
                if dryrun:
                    raise DryRunRollback()
        except DryRunRollback:
            self.stdout.write('Dry run: rolled back.')
            return
        self.stdout.write(self.style.SUCCESS('Done.'))
