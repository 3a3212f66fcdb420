from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "itaportal"

    def ready(self):
        from itaportal import checks  # noqa: F401 (registers the checks)
