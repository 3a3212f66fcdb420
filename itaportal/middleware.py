import html
from functools import partial

from django.conf import settings
from django.http.multipartparser import MultiPartParser
from django.utils.datastructures import ImmutableList


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


class NameKeepingParser(MultiPartParser):
    """Django's parser cuts a posted file name to its last part and drops unprintable characters,
    silently. This one also keeps the name as the browser sent it, on the file as
    ``name_as_sent``: a browser never sends a folder or a control character, so evidence uploads
    refuse such a name (it was made to trick something) instead of keeping another one."""

    _name_as_sent = None

    def sanitize_file_name(self, file_name):
        self._name_as_sent = html.unescape(file_name)
        return super().sanitize_file_name(file_name)

    def handle_file_complete(self, old_field_name, counters):
        before = len(self._files.getlist(old_field_name))
        super().handle_file_complete(old_field_name, counters)
        files = self._files.getlist(old_field_name)
        if len(files) > before:
            files[-1].name_as_sent = self._name_as_sent


def _parse_file_upload(request, META, post_data):
    # HttpRequest.parse_file_upload with the parser above.
    request.upload_handlers = ImmutableList(
        request.upload_handlers,
        warning="You cannot alter upload handlers after the upload has been processed.",
    )
    return NameKeepingParser(META, post_data, request.upload_handlers, request.encoding).parse()


def posted_file_names(get_response):
    """Uploads keep the name they were sent with (NameKeepingParser); placed before anything that
    reads request.POST, such as the CSRF check."""

    def middleware(request):
        request.parse_file_upload = partial(_parse_file_upload, request)
        return get_response(request)

    return middleware
