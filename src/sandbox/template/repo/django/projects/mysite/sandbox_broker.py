"""Celery's broker for the sandbox: kombu's filesystem transport, which needs no broker server.

Broadcasts (`celery -A mysite inspect ping`, remote control) need the exchange bindings shared between
processes. kombu 5.3 keeps them in `control_folder` (celery/kombu#1499); older kombu (Debian 12 has 5.2.4)
keeps them in memory, per process. There the bindings are stored in `control_folder` the way 5.3 does it,
through the hooks kombu documents for fanout (supports_fanout, _queue_bind, get_table). Remove this module
when the oldest supported kombu is 5.3: settings then name the stock `filesystem` transport.
"""
import fcntl
import json
import os

from kombu.transport import filesystem


class Channel(filesystem.Channel):
    supports_fanout = True

    def _table_file(self, exchange):
        folder = self.transport_options.get('control_folder', 'control')
        name = exchange or 'amq.default'
        if not name.replace('.', '').replace('_', '').replace('-', '').isalnum():
            raise ValueError('unexpected exchange name: {!r}'.format(exchange))
        return os.path.join(folder, name + '.exchange')

    def get_table(self, exchange):
        try:
            with open(self._table_file(exchange)) as f:
                fcntl.flock(f, fcntl.LOCK_SH)
                return [tuple(row) for row in json.load(f)]
        except FileNotFoundError:
            return []

    def _queue_bind(self, exchange, routing_key, pattern, queue):
        path = self._table_file(exchange)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        row = [routing_key or '', pattern or '', queue or '']
        with open(os.open(path, os.O_RDWR | os.O_CREAT, 0o600), 'r+') as f:
            fcntl.flock(f, fcntl.LOCK_EX)
            text = f.read()
            rows = json.loads(text) if text else []
            if row not in rows:
                rows.insert(0, row)
                f.seek(0)
                f.truncate()
                json.dump(rows, f)

    def _put_fanout(self, exchange, payload, routing_key, **kwargs):
        for _, _, queue in self.get_table(exchange):
            self._put(queue, payload, **kwargs)


class FanoutTransport(filesystem.Transport):
    Channel = Channel
    implements = filesystem.Transport.implements.extend(exchange_type=frozenset(['direct', 'topic', 'fanout']))


Transport = filesystem.Transport if getattr(filesystem.Channel, 'supports_fanout', False) else FanoutTransport
