from django.urls import path

from measures.accounts import views

urlpatterns = [
    path("two-factor/", views.two_factor, name="two_factor"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/off/", views.two_factor_off, name="two_factor_off"),
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    # Before django.contrib.auth.urls (itaportal/urls.py), whose view it replaces.
    path("password_change/", views.PasswordChangeView.as_view(), name="password_change"),
]
