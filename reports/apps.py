from django.apps import AppConfig, apps
from django.db.models.signals import post_delete, post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Public reports")

    def ready(self):
        from measures.models import Publication
        from reports.rendering import forget_withdrawn
        from reports.views import forget_every_public_copy, forget_public_copies

        post_save.connect(forget_public_copies, sender=Publication, dispatch_uid="reports-copies")
        post_save.connect(forget_withdrawn, sender=Publication, dispatch_uid="reports-withdrawn")
        post_delete.connect(
            forget_public_copies, sender=Publication, dispatch_uid="reports-copies-deleted"
        )
        # Sent for apps with models: once per migrate for the portal's data.
        post_migrate.connect(
            forget_every_public_copy,
            sender=apps.get_app_config("measures"),
            dispatch_uid="reports-epoch",
        )
