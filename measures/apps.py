from importlib import import_module

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def restore_framework_data(sender, using, apps=global_apps, **kwargs):
    """A flush (`manage.py flush`, or the test runner's after each transactional test) empties
    every table; the ITA's ten indicators are facts of the framework, not an agency's data, so
    they come back as the migration loaded them. Names edited in the admin are left alone.
    (A flush sends no `apps`: the models as they are now.)"""
    Indicator = apps.get_model("measures", "Indicator")
    if not Indicator.objects.using(using).exists():
        import_module("measures.migrations.0002_indicators").load_indicators(apps, None)
    # So do the seeded OIT lists, once their migration has run.
    try:
        OitList = apps.get_model("measures", "OitList")
    except LookupError:
        return
    if not OitList.objects.using(using).exists():
        import_module("measures.migrations.0016_oit_items_evidence").seed_oit_lists(apps, None)


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Measures and reports")

    def ready(self):
        from measures.accounts import signin_log

        signin_log.connect()
        post_migrate.connect(restore_framework_data, sender=self)
