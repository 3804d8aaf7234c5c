import os

from celery import Celery
from django.db import connection

# Set the default Django settings module for the 'celery' program.
os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'mysite.settings')

app = Celery('mysite')

# All celery settings are read from settings.py, each with the prefix CELERY_ (CELERY_BROKER_URL …).
app.config_from_object('mysite.settings', namespace='CELERY')

# Load task modules from all registered Django app configs (catmaid/tasks.py).
app.autodiscover_tasks()


@app.task(name='catmaid.ping')
def ping():
    """A round trip through the broker and the database: what a health check asks for."""
    with connection.cursor() as cursor:
        cursor.execute('SELECT count(*) FROM project')
        projects = cursor.fetchone()[0]
    return {'pong': True, 'projects': projects, 'pid': os.getpid()}


if __name__ == '__main__':
    app.start()
