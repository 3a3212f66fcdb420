from django.contrib.auth import urls as auth_urls
from django.contrib.auth.views import PasswordResetView
from django.urls import path

from measures.accounts import views
from measures.notifications.forms import OutboxPasswordResetForm
from measures.notifications.views import notification_settings

# Django's sign-in pages, but for the two it does its own way: the password change is throttled
# like a sign-in, and the reset link goes through the outbox, in Thai.
REPLACED = {"password_change", "password_reset"}

urlpatterns = [
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/off/", views.two_factor_off, name="two_factor_off"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("notifications/", notification_settings, name="notifications"),
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password_reset/",
        PasswordResetView.as_view(form_class=OutboxPasswordResetForm),
        name="password_reset",
    ),
    *(pattern for pattern in auth_urls.urlpatterns if pattern.name not in REPLACED),
]
