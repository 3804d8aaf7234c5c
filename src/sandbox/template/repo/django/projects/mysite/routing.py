"""Websocket routes. CATMAID makes all its ASGI endpoints available under <CATMAID-URL>/channels/."""
import json

from django.conf import settings

UPDATES = 'channels/updates/'


def _route(scope):
    """The path below CATMAID's URL: daphne gets the whole path, behind nginx with the subdirectory."""
    path = scope['path']
    prefix = (getattr(settings, 'FORCE_SCRIPT_NAME', None) or scope.get('root_path') or '').rstrip('/') + '/'
    return path[len(prefix):] if path.startswith(prefix) else path.lstrip('/')


async def updates(receive, send):
    """Greets the client, then answers every text message: `ping` with `pong`, anything else echoed."""
    await send({'type': 'websocket.accept'})
    await send({'type': 'websocket.send', 'text': json.dumps({'type': 'hello', 'server': 'CATMAID'})})
    while True:
        event = await receive()
        if event['type'] == 'websocket.disconnect':
            return
        if event['type'] == 'websocket.receive':
            text = event.get('text') or ''
            await send({'type': 'websocket.send', 'text': 'pong' if text == 'ping' else text})


async def websocket_application(scope, receive, send):
    event = await receive()
    if event['type'] != 'websocket.connect':
        return
    if _route(scope) == UPDATES:
        await updates(receive, send)
    else:
        await send({'type': 'websocket.close', 'code': 4404})
