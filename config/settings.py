"""Settings of the portal, read from the environment with local defaults (healthchecks' style).

Production sets DEBUG=0, SECRET_KEY, PORTAL_DOMAIN, DATABASE_URL, REDIS_URL and the EMAIL_* variables;
`python manage.py check --deploy` is clean with them.
"""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from branding.host_check import FirmHosts
from devstack.stack import use_running_stack

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# With no server configured, a command run beside `make run` uses its embedded servers, media and mail folders.
USING_DEV_STACK = use_running_stack()

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "local-development-only-not-a-secret-" + "x" * 32

# The platform's own domain: the public site lives on it, firm hosts are <slug>.<PORTAL_DOMAIN>.
PORTAL_DOMAIN = os.environ.get("PORTAL_DOMAIN", "localhost").lower()
# Extra host names that answer as the public site (e.g. 127.0.0.1 for the agent on the same machine).
PUBLIC_HOSTS = env_list("PUBLIC_HOSTS", "127.0.0.1")
# Host names are checked twice: by Django against ALLOWED_HOSTS, then by the tenant middleware against
# the Domain table (an unknown host answers 404). Firms' custom hosts (Settings → Branding) are rows of the
# Domain table; the last entry lets exactly those through Django's check too, without opening it to `*`.
ALLOWED_HOSTS = [*(env_list("ALLOWED_HOSTS") or [PORTAL_DOMAIN, "." + PORTAL_DOMAIN, *PUBLIC_HOSTS]), FirmHosts()]

SHARED_APPS = [
    "django_tenants",
    "firms",
    "devstack",  # seed_demo for `make run`; no models
    "branding",
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "sync_api",  # sync keys and heartbeats: the key alone identifies the firm
]
TENANT_APPS = [
    "django.contrib.contenttypes",
    "dossiers",
    "documents",
    "exports",
    "banking",
]
INSTALLED_APPS = list(SHARED_APPS) + [app for app in TENANT_APPS if app not in SHARED_APPS]

TENANT_MODEL = "portal.Firm"
TENANT_DOMAIN_MODEL = "portal.Domain"
AUTH_USER_MODEL = "portal.User"

MIDDLEWARE = [
    "sync_api.middleware.TenantMiddleware",  # django-tenants' TenantMainMiddleware, the API's public host remembered
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "firms.middleware.FirmAccessMiddleware",
    "dossiers.entrepreneur_view.EntrepreneurViewMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if not DEBUG:  # production serves its collected static files itself; runserver does it under DEBUG
    MIDDLEWARE.insert(2, "whitenoise.middleware.WhiteNoiseMiddleware")

ROOT_URLCONF = "config.urls_firm"
PUBLIC_SCHEMA_URLCONF = "config.urls_public"
WSGI_APPLICATION = "config.wsgi.application"

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
                "firms.context_processors.portal",
                "branding.context_processors.branding",
            ],
        },
    },
]

# PostgreSQL: DATABASE_URL, else the usual PG* variables, else a local server.
_database_url = os.environ.get("DATABASE_URL") or "postgresql://{user}:{password}@{host}:{port}/{name}".format(
    user=os.environ.get("PGUSER", "postgres"),
    password=os.environ.get("PGPASSWORD", ""),
    host=os.environ.get("PGHOST", "127.0.0.1"),
    port=os.environ.get("PGPORT", "5432"),
    name=os.environ.get("PGDATABASE", "portal"),
)
DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)}
DATABASES["default"]["ENGINE"] = "django_tenants.postgresql_backend"
# No lock is waited for longer than this (core/locking.py): a stuck transaction cannot pile up requests.
LOCK_TIMEOUT_SECONDS = env_int("LOCK_TIMEOUT_SECONDS", 10)
DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c lock_timeout={LOCK_TIMEOUT_SECONDS * 1000}"
if os.environ.get("DATABASE_NAME"):  # the same server, another database (a test worker uses the test database)
    DATABASES["default"]["NAME"] = os.environ["DATABASE_NAME"]
DATABASE_ROUTERS = ["django_tenants.routers.TenantSyncRouter"]
# Set the search path once per connection and tenant switch, not before every query.
TENANT_LIMIT_SET_CALLS = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "portal"),
        "KEY_FUNCTION": "django_tenants.cache.make_key",
        "REVERSE_KEY_FUNCTION": "django_tenants.cache.reverse_key",
    }
}

# redis-py (the cache) reads unix:///path for a Unix socket, kombu (Celery) reads redis+socket:///path.
CELERY_BROKER_URL = (
    "redis+socket://" + REDIS_URL.removeprefix("unix://") if REDIS_URL.startswith("unix://") else REDIS_URL
)
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
CELERY_TIMEZONE = "Europe/Brussels"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
# The per-firm export tasks start spread over this many seconds, so that firms do not all hit at once.
EXPORT_FANOUT_JITTER = env_int("EXPORT_FANOUT_JITTER", 20)
# One entry per job, never one per dossier or firm: the jobs fan out themselves.
CELERY_BEAT_SCHEDULE: dict = {
    "exports": {"task": "exports.run_all_firms", "schedule": env_int("EXPORT_RUN_SECONDS", 60)},
    # Fetch new bank statements of every firm's connected accounts (fans out per firm, then per account).
    "banking-fetch-statements": {"task": "banking.tasks.fetch_all_firms", "schedule": 60 * 60},
}
# Bank connections: "live" uses the KBC / Billbank interfaces (not configured yet: they refuse with a clear
# error); "demo" makes every KBC / Billbank account receive realistic generated CODA (make run).
BANK_FEEDS = os.environ.get("BANK_FEEDS", "demo" if DEBUG else "live")

AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Europe/Brussels"
USE_I18N = True
USE_TZ = True
LANGUAGE_COOKIE_NAME = "portal_language"
LANGUAGE_COOKIE_SECURE = not DEBUG
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A month of purchase invoices in one upload (Django's default is 100 files per request).
DATA_UPLOAD_MAX_NUMBER_FILES = 500

# Mail: SMTP from the environment in production; under `make run` mail lands in a folder of the local state.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"portal@{PORTAL_DOMAIN}")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_FILE_PATH = os.environ.get("EMAIL_FILE_PATH", "")
if EMAIL_FILE_PATH:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
else:
    EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)

# Security: strict in production, relaxed only where plain http on localhost needs it.
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("BEHIND_TLS_PROXY", not DEBUG) else None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]

# The Billsync API (sync_api): agents authenticate with a sync key, never with a session (so no CSRF).
SYNC_POLL_SECONDS = env_int("SYNC_POLL_SECONDS", 60)  # what agents are told; connected = seen within 3 polls
SYNC_LEASE_SECONDS = env_int("SYNC_LEASE_SECONDS", 300)  # one download attempt holds an item this long
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "EXCEPTION_HANDLER": "sync_api.errors.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"sync_key": os.environ.get("SYNC_API_RATE", "6000/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Accountant portal: Billsync API",
    "DESCRIPTION": "What Billsync agents use to fetch a firm's export items and acknowledge each file. "
    "Authenticate with `Authorization: Bearer <sync key>`.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # Swagger UI and Redoc from the drf-spectacular-sidecar package: no CDN needed.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
