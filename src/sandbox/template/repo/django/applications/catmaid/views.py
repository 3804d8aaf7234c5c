from django.conf import settings
from django.http import HttpResponse
from django.utils.html import escape


def index(request):
    """The front page: loads every static extension like CATMAID's index does."""
    scripts = ''.join(
        '<script src="{}{}"></script>'.format(escape(settings.STATIC_EXTENSION_URL), escape(name))
        for name in settings.STATIC_EXTENSION_FILES)
    return HttpResponse('<!DOCTYPE html><html><head><title>CATMAID</title>{}</head>'
                        '<body>CATMAID sandbox</body></html>'.format(scripts))
