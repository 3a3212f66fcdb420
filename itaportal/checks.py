"""System checks of a deployment that Django's own do not make."""

from pathlib import Path

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.utils.translation import gettext as _

# The language the source strings are written in needs no catalogue.
SOURCE_LANGUAGE = "en"


@register(Tags.translation, deploy=True)
def compiled_catalogues(app_configs, **kwargs):
    """Each configured language's catalogues compiled, and not older than their .po files:
    without them the Thai portal shows its pages and PDFs in English, and nothing says so."""
    errors = []
    hint = _("Run: python manage.py compilemessages (or: make messages), then restart.")
    for code, name in settings.LANGUAGES:
        if code == SOURCE_LANGUAGE:
            continue
        catalogues = [
            Path(directory) / code / "LC_MESSAGES" / "django.po"
            for directory in settings.LOCALE_PATHS
        ]
        catalogues = [po for po in catalogues if po.exists()]
        if not catalogues:
            errors.append(
                Error(
                    _("No translation catalogue for %(language)s in LOCALE_PATHS.")
                    % {"language": name},
                    id="itaportal.E001",
                )
            )
        for po in catalogues:
            mo = po.with_suffix(".mo")
            if not mo.exists():
                message = _("The %(language)s translation is not compiled: %(mo)s is missing.")
            elif mo.stat().st_mtime < po.stat().st_mtime:
                message = _(
                    "The %(language)s translation is out of date: %(mo)s is older than %(po)s."
                )
            else:
                continue
            params = {"language": name, "mo": mo, "po": po}
            errors.append(Error(message % params, hint=hint, id="itaportal.E002"))
    return errors
