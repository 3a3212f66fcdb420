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


def client_ip(request):
    """The client's address. Behind the local nginx (docs/nginx.conf) every request comes from
    127.0.0.1, and the address nginx saw is the last one it appended to X-Forwarded-For."""
    remote = request.META.get("REMOTE_ADDR", "")
    if remote in settings.TRUSTED_PROXIES:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.rsplit(",", 1)[-1].strip()
    return remote
