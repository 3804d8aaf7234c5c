from django.conf import settings
from django.db import connection
from django.http import HttpResponse
from django.templatetags.static import static
from django.utils.html import escape


def index(request):
    """The front page: CATMAID's script, every static extension, and the projects from the database."""
    scripts = ['<script src="{}"></script>'.format(escape(static('catmaid/catmaid.js')))] + [
        '<script src="{}{}"></script>'.format(escape(settings.STATIC_EXTENSION_URL), escape(name))
        for name in settings.STATIC_EXTENSION_FILES]
    with connection.cursor() as cursor:
        cursor.execute('SELECT id, title FROM project ORDER BY id')
        projects = ''.join('<li>{}</li>'.format(escape(title)) for _, title in cursor.fetchall())
    return HttpResponse('<!DOCTYPE html><html><head><title>CATMAID</title>{}</head>'
                        '<body>CATMAID sandbox<ul class="projects">{}</ul></body></html>'.format(''.join(scripts), projects))
