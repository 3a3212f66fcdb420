from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.files.storage import default_storage
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from measures import thai


@never_cache
def healthz(request):
    """For load balancers and monitoring: 200 when the database, the cache and the file storage
    (object storage, when several servers share one) answer, else 503."""
    checks = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except Exception as error:  # report any failure as unhealthy, never as a 500 page
        checks["database"] = f"error: {error.__class__.__name__}"
    try:
        cache.set("healthz", "ok", 10)
        checks["cache"] = "ok" if cache.get("healthz") == "ok" else "error: value lost"
    except Exception as error:
        checks["cache"] = f"error: {error.__class__.__name__}"
    try:
        default_storage.exists("healthz")
        checks["storage"] = "ok"
    except Exception as error:
        checks["storage"] = f"error: {error.__class__.__name__}"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503
    )


def language(request):
    """The language choice: a POST form to Django's set_language, reached by a plain link."""
    next_url = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    return render(request, "language.html", {"next": next_url})


def bad_request(request, exception):
    """A request refused before it was read. A form too large to receive says why and how to
    keep the text: the browser still holds it one page back."""
    too_large = isinstance(exception, RequestDataTooBig | TooManyFieldsSent)
    context = {
        "too_large": too_large,
        "limit_mb": thai.thai_digits(settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)),
    }
    return render(request, "400.html", context, status=413 if too_large else 400)


def csrf_failure(request, reason=""):
    """A form refused by the CSRF check (a page open too long, cookies off): said in the site's
    language and layout, with the way back, instead of Django's English page."""
    return render(request, "403_csrf.html", status=403)
