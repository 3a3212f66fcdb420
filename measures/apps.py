from importlib import import_module

from django.apps import AppConfig
from django.apps import apps as global_apps
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# The ITA framework's facts that migrations load: the model, and the migration's loader.
FRAMEWORK_DATA = [
    ("Indicator", "0002_indicators", "load_indicators"),
    ("LevelRule", "0014_ita_results_and_plan", "seed_level_rules"),
    ("OitList", "0016_oit_items_evidence", "seed_oit_lists"),
]


def restore_framework_data(sender, using, apps=global_apps, **kwargs):
    """A flush (`manage.py flush`, or the test runner's after each transactional test) empties
    every table; the ITA's indicators, the years' level rules and OIT lists are facts of the
    framework, not an agency's data, so they come back as their migrations loaded them. Rows
    edited in the admin are left alone. (A flush sends no `apps`: the models as they are now.)"""
    for model_name, migration, loader in FRAMEWORK_DATA:
        try:
            model = apps.get_model("measures", model_name)
        except LookupError:  # migrated back to before the model
            continue
        if not model.objects.using(using).exists():
            getattr(import_module(f"measures.migrations.{migration}"), loader)(apps, None)


class MeasuresConfig(AppConfig):
    name = "measures"
    verbose_name = _("Measures and reports")

    def ready(self):
        from measures.accounts import signin_log

        signin_log.connect()
        post_migrate.connect(restore_framework_data, sender=self)
