from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from itaportal.views import healthz, language

# A form whose request was refused before it was read (too large): a page that says why.
handler400 = "itaportal.views.bad_request"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("language/", language, name="language"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The admin's own password change checks the old password without throttling: use the
    # portal's, which counts wrong ones as failed sign-ins.
    path("admin/password_change/", RedirectView.as_view(pattern_name="password_change")),
    path("admin/", admin.site.urls),
    path("accounts/", include("measures.accounts.urls")),
    path("staff/", include("measures.staff.urls")),
    path("", include("reports.urls_opendata")),
    # Last: the public report URLs take any slug at the root (/mueang-phalai/2568/).
    path("", include("reports.urls")),
]
