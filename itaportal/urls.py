from django.contrib import admin
from django.urls import include, path

from itaportal.views import healthz, language
from measures import two_factor_views

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("language/", language, name="language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/two-factor/", two_factor_views.two_factor, name="two_factor"),
    path("accounts/two-factor/setup/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/off/", two_factor_views.two_factor_off, name="two_factor_off"),
    path(
        "accounts/two-factor/verify/", two_factor_views.two_factor_verify, name="two_factor_verify"
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("staff/", include("measures.urls")),
    path("", include("reports.urls_opendata")),
    # Last: the public report URLs take any slug at the root (/mueang-phalai/2568/).
    path("", include("reports.urls")),
]
