from django.apps import AppConfig
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class CATMAIDConfig(AppConfig):
    name = 'catmaid'
    verbose_name = 'CATMAID'
    default_auto_field = 'django.db.models.BigAutoField'

    def ready(self):
        self.validate_configuration()

    def validate_configuration(self):
        """Refuse to start with settings CATMAID cannot work with."""
        if not isinstance(getattr(settings, 'STATIC_EXTENSION_FILES', None), list):
            raise ImproperlyConfigured('STATIC_EXTENSION_FILES must be a list, found: {}'.format(
                type(getattr(settings, 'STATIC_EXTENSION_FILES', None)).__name__))
        if not isinstance(getattr(settings, 'STATIC_EXTENSION_ROOT', None), str):
            raise ImproperlyConfigured('STATIC_EXTENSION_ROOT must be a string')
