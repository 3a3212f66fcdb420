from django.conf import settings


def security_headers(get_response):
    """Headers Django 5.2 does not set itself: Content-Security-Policy and Permissions-Policy."""

    def middleware(request):
        response = get_response(request)
        response.headers.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response

    return middleware
