from django.contrib import admin
from django.urls import include, path

from itaportal.views import healthz, language

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("language/", language, name="language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("measures.accounts.urls")),
    path("staff/", include("measures.staff.urls")),
    path("", include("reports.urls_opendata")),
    # Last: the public report URLs take any slug at the root (/mueang-phalai/2568/).
    path("", include("reports.urls")),
]
