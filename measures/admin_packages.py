"""The admin screens of the packages the portal uses, in Thai.

Their English is translated in two places, by who owns the words:

- Strings a package passes through gettext (django-axes' field names, django-tasks' statuses,
  Django's own admin strings its Thai catalogue lacks) are translated in
  ``locale/vendor/th/LC_MESSAGES/`` (``django.po``, and ``djangojs.po`` for the admin's scripts).
  That directory is the second of ``LOCALE_PATHS``: ``makemessages`` writes only to the first
  (``locale/``, where the portal's sources are), so it never marks those entries obsolete.
- Strings a package never passes through gettext (django-otp's names and help texts, the records'
  English ``__str__``, a few admin labels) are passed through it here: model texts are wrapped in
  ``gettext_lazy`` with the same English, so the vendor catalogue translates them and migrations
  see no change (makemigrations runs untranslated); labels the portal chooses itself are its own
  msgids, in ``locale/th``.

``tests/test_thai_pages.py`` opens every admin page and fails on any English left.
"""

from axes.admin import AccessAttemptAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.templatetags import admin_list
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.forms import AdminPasswordChangeForm, SetUnusablePasswordMixin
from django.contrib.auth.models import Group, Permission, User
from django.templatetags.static import static
from django.utils import translation
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext, gettext_lazy, pgettext_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.admin import DBTaskResultAdmin
from django_tasks_db.models import DBTaskResult

from measures.templatetags.thai import thai_datetime as moment

APP_NAMES = {
    "axes": _("sign-in lockouts"),
    "otp_totp": _("two-factor sign-in"),
    "django_tasks_database": _("background tasks"),
}


def thai_app_names():
    for label, name in APP_NAMES.items():
        apps.get_app_config(label).verbose_name = name


def through_gettext(model):
    """Wrap the model's names and help texts in gettext_lazy, with the English they have."""
    with translation.override(None):
        opts = model._meta
        opts.verbose_name = gettext_lazy(str(opts.verbose_name))
        opts.verbose_name_plural = gettext_lazy(str(opts.verbose_name_plural))
        for field in opts.local_fields:
            field.verbose_name = gettext_lazy(str(field.verbose_name))
            if field.help_text:
                field.help_text = gettext_lazy(str(field.help_text))


# A many-to-many field's hidden table is named "Measure-division relationship" in English, made
# when the model is, and its rows "Measure_divisions object (1)"; deleting a measure lists them.
def thai_links(model):
    for field in model._meta.local_many_to_many:
        through = field.remote_field.through
        if not through._meta.auto_created:
            continue
        names = {
            "from": model._meta.verbose_name,
            "to": field.remote_field.model._meta.verbose_name,
        }
        through._meta.verbose_name = format_lazy("{}", LinkName(LINK, names))
        through._meta.verbose_name_plural = format_lazy("{}", LinkName(LINKS, names))
        ends = (field.m2m_field_name(), field.m2m_reverse_field_name())
        through.__str__ = lambda link, ends=ends: " – ".join(str(getattr(link, e)) for e in ends)


LINK = _("link of %(from)s and %(to)s")
LINKS = _("links of %(from)s and %(to)s")


class LinkName:
    """Formatted when shown, in the language of the request."""

    def __init__(self, text, names):
        self.text, self.names = text, names

    def __str__(self):
        return str(self.text) % {key: str(value) for key, value in self.names.items()}


# The packages' records name themselves in English f-strings ("Attempted Access: …"), which the
# admin shows in titles, breadcrumbs and confirmations; these name them in Thai instead.
def access_attempt_str(attempt):
    return gettext("Sign-in attempts by %(username)s, latest %(time)s") % {
        "username": attempt.username,
        "time": moment(attempt.attempt_time),
    }


def access_log_str(log):
    return gettext("Sign-in of %(username)s at %(time)s") % {
        "username": log.username,
        "time": moment(log.attempt_time),
    }


def access_failure_str(failure):
    return gettext("Failed sign-in by %(username)s at %(time)s from %(ip_address)s") % {
        "username": failure.username,
        "time": moment(failure.attempt_time),
        "ip_address": failure.ip_address,
    }


def task_result_str(result):
    return gettext("Task %(name)s of %(time)s") % {
        "name": result.task_name,
        "time": moment(result.enqueued_at),
    }


BOOLEAN_ALT = {
    True: pgettext_lazy("yes/no icon", "Yes"),
    False: pgettext_lazy("yes/no icon", "No"),
    None: pgettext_lazy("yes/no icon", "Unknown"),
}


def boolean_icon(field_val):
    """Django's yes/no icon, whose alt text ("True", "False") is English in every language."""
    icon = {True: "yes", False: "no", None: "unknown"}[field_val]
    url = static(f"admin/img/icon-{icon}.svg")
    return format_html('<img src="{}" alt="{}">', url, BOOLEAN_ALT[field_val])


def apply():
    thai_app_names()
    for model in apps.get_app_config("measures").get_models():
        thai_links(model)
    for model in (TOTPDevice, DBTaskResult):
        through_gettext(model)
    AccessAttempt.__str__ = access_attempt_str
    AccessLog.__str__ = access_log_str
    AccessFailureLog.__str__ = access_failure_str
    DBTaskResult.__str__ = task_result_str
    admin_list._boolean_icon = boolean_icon


# Imported by measures.admin, during the admin's autodiscovery, when every app is loaded and the
# packages' own admin classes are registered.
apply()


# The permissions' names are stored in English when the tables are made ("Can add measure");
# the user and group pages name them from the model's Thai name instead.
PERMISSION_ACTIONS = {
    "add": _("Can add %(model)s"),
    "change": _("Can change %(model)s"),
    "delete": _("Can delete %(model)s"),
    "view": _("Can view %(model)s"),
}


def permission_label(permission: Permission) -> str:
    content_type = permission.content_type
    model = content_type.model_class()
    action = permission.codename.split("_", 1)[0]
    if model is None or action not in PERMISSION_ACTIONS:
        return str(permission)
    name = PERMISSION_ACTIONS[action] % {"model": model._meta.verbose_name}
    return f"{content_type} | {name}"


class ThaiPermissionsMixin:
    def formfield_for_manytomany(self, db_field, request, **kwargs):
        formfield = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("permissions", "user_permissions"):
            formfield.label_from_instance = permission_label
        return formfield


admin.site.unregister(User)
admin.site.unregister(Group)


class PasswordChangeForm(AdminPasswordChangeForm):
    """Django appends its warning to the help text in English, outside gettext."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "usable_password" in self.fields:
            self.fields["usable_password"].help_text = format_html(
                '{}<ul id="id_unusable_warning" class="messagelist">'
                '<li class="warning">{}</li></ul>',
                SetUnusablePasswordMixin.usable_password_help_text,
                gettext("If disabled, the current password for this user will be lost."),
            )


@admin.register(User)
class PortalUserAdmin(ThaiPermissionsMixin, UserAdmin):
    change_password_form = PasswordChangeForm


@admin.register(Group)
class PortalGroupAdmin(ThaiPermissionsMixin, GroupAdmin):
    pass


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class PortalAccessAttemptAdmin(AccessAttemptAdmin):
    @admin.display(description=_("status"))
    def status(self, attempt):
        left = settings.AXES_FAILURE_LIMIT - attempt.failures_since_start
        if left <= 0:
            return gettext("Locked Out")
        return gettext("%(count)s attempts left") % {"count": left}

    # axes words its message with an f-string inside gettext, which no catalogue can match.
    @admin.action(description=_("Clean up expired attempts"))
    def cleanup_expired_attempts(self, request, queryset):
        count = self.handler.clean_expired_user_attempts(request=request)
        self.message_user(
            request, gettext("Expired attempts cleaned up: %(count)s.") % {"count": count}
        )


FIELDSET_NAMES = {
    "Identity": _("device"),
    "Timestamps": _("times"),
    "Configuration": _("settings"),
    "State": _("clock drift"),
    "Throttling": _("refused codes"),
}


admin.site.unregister(TOTPDevice)


@admin.register(TOTPDevice)
class PortalTOTPDeviceAdmin(TOTPDeviceAdmin):
    search_help_text = _("Search by the user's username or e-mail address.")

    def get_fieldsets(self, request, obj=None):
        return [
            (FIELDSET_NAMES.get(name, name), options)
            for name, options in super().get_fieldsets(request, obj)
        ]


admin.site.unregister(DBTaskResult)


@admin.register(DBTaskResult)
class PortalTaskResultAdmin(DBTaskResultAdmin):
    list_display = ("__str__", *DBTaskResultAdmin.list_display[2:])

    @admin.display(description=DBTaskResult._meta.get_field("traceback").verbose_name)
    def formatted_traceback(self, obj):
        return super().formatted_traceback(obj)

    @admin.display(description=DBTaskResult._meta.get_field("run_after").verbose_name)
    def display_run_after(self, obj):
        return super().display_run_after(obj)
