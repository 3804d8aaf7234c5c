"""The ASGI entry point daphne serves: websockets under <CATMAID-URL>/channels/, everything else Django.

CATMAID routes websockets with Django Channels; Debian 12 packages no Channels, so the sandbox routes them
itself (mysite/routing.py) with the same URLs.
"""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')

# Django must be set up before anything imports models or settings.
django_application = get_asgi_application()

from mysite.routing import websocket_application  # noqa: E402


async def application(scope, receive, send):
    if scope['type'] == 'websocket':
        await websocket_application(scope, receive, send)
    else:
        await django_application(scope, receive, send)
