"""ITA Portal settings, read from the environment.

Nothing needs to be set to start a local demo: the database defaults to a SQLite file under
``var/``. Production sets ``DEBUG=0``, ``SECRET_KEY``, ``ALLOWED_HOSTS`` and ``DATABASE_URL``.
"""

import datetime
import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from itaportal import limits

BASE_DIR = Path(__file__).resolve().parent.parent
STATE_DIR = Path(os.environ.get("STATE_DIR", BASE_DIR / "var"))


def envbool(name: str, default: str) -> bool:
    value = os.environ.get(name, default).strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off", ""}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), not {value!r}")


def envint(name: str, default: int) -> int:
    value = os.environ.get(name, str(default)).strip()
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = envbool("DEBUG", "1")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-local-demo-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")

# pythainlp writes its corpus cache into the home directory unless told otherwise; keep it with
# the rest of the portal's state so a read-only home or a shared server does not break it.
os.environ.setdefault("PYTHAINLP_DATA", str(STATE_DIR / "pythainlp"))

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "itaportal",
    "django_tasks",
    "django_tasks_db",
    "measures",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "itaportal.middleware.security_headers",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "itaportal.middleware.posted_file_names",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "measures.accounts.two_factor.code_required",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "itaportal.urls"
WSGI_APPLICATION = "itaportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{STATE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling: after AXES_FAILURE_LIMIT wrong passwords for one user from one address, that
# pair is locked out for the cool-off time. Attempts are kept in the database, so every app server
# sees them.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "itaportal.middleware.client_ip"
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", "127.0.0.1,::1")

# Two-factor sign-in (django-otp, TOTP): coordinators and superusers may turn it on at
# /accounts/two-factor/. After N wrong codes in a row every code is refused for
# OTP_TOTP_THROTTLE_FACTOR * 2**(N-1) seconds. The admin does not show the secret key or the QR
# code of a saved device: whoever reads them can make that user's codes.
OTP_TOTP_ISSUER = "ITA Portal"
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "th"
LANGUAGES = [("th", "ไทย"), ("en", "English")]
# The second holds Thai for django-import-export's admin screens, which the package lacks.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale" / "vendor"]
TIME_ZONE = "Asia/Bangkok"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = STATE_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = STATE_DIR / "media"
STORAGES = {
    # Rendered PDFs and uploads go through the storage API, so they can move to object storage.
    # A kept copy is written under its one name, replacing what is there, never beside it under
    # another (reports/rendering.py): object storage overwrites the same way (S3: file_overwrite).
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"allow_overwrite": True},
    },
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
    # Uploads waiting between an import's preview and its confirmation: never served.
    "imports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": STATE_DIR / "imports"},
    },
}


def object_storage(location: str, **connection) -> dict:
    """A storage under ``location`` in an S3-compatible bucket (django-storages, boto3), which
    every app server and worker shares. Private: Django reads the objects and serves them."""
    from botocore.config import Config

    return {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **connection,
            "location": location,
            "file_overwrite": True,
            "default_acl": None,
            "querystring_auth": True,
            "signature_version": "s3v4",
            # A store that does not answer fails the request within seconds, not minutes.
            "client_config": Config(
                connect_timeout=5, read_timeout=30, retries={"max_attempts": 3, "mode": "standard"}
            ),
        },
    }


# With S3_BUCKET set, kept PDFs and import previews live in S3-compatible object storage (MinIO,
# Ceph RGW, a cloud's object storage): several app servers then share them (docs/deploy.md).
S3_BUCKET = os.environ.get("S3_BUCKET", "")
if S3_BUCKET:
    S3_CONNECTION = {
        "bucket_name": S3_BUCKET,
        # Unset: AWS itself; otherwise the store's address, e.g. https://minio.internal:9000.
        "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
        # Unset: boto3's own lookup (AWS_ACCESS_KEY_ID, an instance role, ~/.aws).
        "access_key": os.environ.get("S3_ACCESS_KEY_ID") or None,
        "secret_key": os.environ.get("S3_SECRET_ACCESS_KEY") or None,
        "region_name": os.environ.get("S3_REGION") or None,
        # MinIO and Ceph answer at one address with the bucket in the path; AWS wants it in
        # the host name.
        "addressing_style": os.environ.get(
            "S3_ADDRESSING_STYLE", "path" if os.environ.get("S3_ENDPOINT_URL") else "virtual"
        ),
    }
    S3_PREFIX = os.environ.get("S3_PREFIX", "")
    STORAGES["default"] = object_storage(f"{S3_PREFIX}media", **S3_CONNECTION)
    STORAGES["imports"] = object_storage(f"{S3_PREFIX}imports", **S3_CONNECTION)

WHITENOISE_MIMETYPES = {".ttf": "font/ttf"}
# In development WhiteNoise serves straight from the app and project static folders.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG

# One cache shared by every app server when CACHE_URL/REDIS_URL names a Redis; otherwise each
# process keeps its own.
CACHE_URL = os.environ.get("CACHE_URL") or os.environ.get("REDIS_URL", "")
if CACHE_URL.startswith(("redis://", "rediss://")):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "itaportal",
        }
    }
    # Visitors' copies of published pages and PDFs (reports.views.kept_for_visitors): a new or
    # withdrawn publication deletes them from the shared cache at once, so they may live long.
    PUBLIC_COPY_SECONDS = 60 * 60
elif CACHE_URL:
    raise ImproperlyConfigured(f"CACHE_URL must be a redis:// URL, not {CACHE_URL!r}")
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Another process's copy cannot be deleted from this one: it may be stale this long.
    PUBLIC_COPY_SECONDS = 10

# Background tasks (django-tasks): PDFs too large to render within a web request are rendered by
# `manage.py db_worker`, which runs the tasks queued in the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

SESSION_COOKIE_AGE = 8 * 60 * 60  # a working day; staff log in again the next morning
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
# Scripts only from this site, never inline: an injected <script> cannot run.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Inline style attributes (the Django admin uses some) cannot run code.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

if not DEBUG:
    # Behind a TLS-terminating proxy (nginx) that sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", "1")
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "itaportal.logging.JSONFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    # django-axes announces its configuration at every start; lockouts are warnings and stay.
    # WeasyPrint logs every step of every PDF render at INFO, pikepdf its first use.
    "loggers": {
        "axes": {"level": "WARNING"},
        "weasyprint.progress": {"level": "WARNING"},
        "pikepdf": {"level": "WARNING"},
    },
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "staff:dashboard"
LOGOUT_REDIRECT_URL = "login"

# Imports (spreadsheets, Word and text reports): an upload over IMPORT_MAX_BYTES is refused
# before it is parsed, and an XLSX/DOCX archive that would unpack to more than
# IMPORT_MAX_UNPACKED_BYTES is refused before it is unpacked.
IMPORT_MAX_BYTES = envint("IMPORT_MAX_BYTES", 10 * 1024 * 1024)
# A form holds at most what a measure can (itaportal/limits.py): larger ones get a page that says
# why (itaportal.views.bad_request), and the editor's script warns before sending one.
DATA_UPLOAD_MAX_MEMORY_SIZE = limits.FORM_BYTES
# A report's Word file unpacks to a few megabytes; 25 MB of XML keeps a worker well under
# 600 MB whatever the file holds (bench/bench_import.py).
IMPORT_MAX_UNPACKED_BYTES = envint("IMPORT_MAX_UNPACKED_BYTES", 25 * 1024 * 1024)

# E-mail (notifications, invitations, password resets): written to the outbox during a request
# and sent by the worker (`manage.py db_worker`). With no EMAIL_HOST the messages are written to
# the log instead, so a local demo needs no mail server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "")
EMAIL_PORT = envint("EMAIL_PORT", 587)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "0")
EMAIL_USE_SSL = envbool("EMAIL_USE_SSL", "0")
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL cannot both be on")
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = os.environ.get("EMAIL_FROM", "ITA Portal <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "measures.notifications.outbox.LogEmailBackend"
)
# Seconds to wait before each new attempt at a message the mail server did not take; after the
# last one the message is marked failed in the outbox.
EMAIL_RETRY_DELAYS = [60, 5 * 60, 30 * 60, 2 * 60 * 60]
# The address the links in e-mails start with (they are written without a request at hand).
PORTAL_URL = os.environ.get(
    "PORTAL_URL",
    f"https://{ALLOWED_HOSTS[0]}" if not DEBUG and ALLOWED_HOSTS else "http://127.0.0.1:8000",
).rstrip("/")
if not PORTAL_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(
        f"PORTAL_URL must start with https:// or http://, not {PORTAL_URL!r}"
    )

# A refused form (expired page, cookies off) gets a page in the site's layout and language.
CSRF_FAILURE_VIEW = "itaportal.views.csrf_failure"
