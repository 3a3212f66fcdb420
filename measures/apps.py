from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Measures and reports")

    def ready(self):
        from measures.accounts import signin_log

        signin_log.connect()
