"""Settings of the portal, read from the environment with local defaults (healthchecks' style).

Production sets DEBUG=0, SECRET_KEY, PORTAL_DOMAIN, DATABASE_URL, REDIS_URL and the EMAIL_* variables;
`python manage.py check --deploy` is clean with them.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from kombu import Queue

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
    "django.forms",  # its widget templates, for FORM_RENDERER below
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "sync_api",  # sync keys and heartbeats: the key alone identifies the firm
    "axes",  # failed logins per account, lockouts in the operator's admin (issue 17)
    "help",  # the help pages (Markdown files); no models
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
    "core.outage.HealthMiddleware",  # /healthz and /readyz for any host, before anything needs the database (issue 17)
    "core.odd_input.OddInputMiddleware",  # NUL and control characters in queries and forms: 400 (issue 17)
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
    MIDDLEWARE.insert(4, "whitenoise.middleware.WhiteNoiseMiddleware")

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
# --- Many firms ----------------------------------------------------------------------------------------------
# A new firm's schema is a copy of this template schema (django-tenants' clone_schema), then its migrations are
# recorded as applied: sign-up costs the same at 10 or 10,000 firms. `migrate_schemas` keeps the template
# current (firms/migration_executor.py); without it yet, the first sign-up creates it.
TENANT_BASE_SCHEMA = "template_firm"
TENANT_CREATION_FAKES_MIGRATIONS = True
# migrate_schemas: firms already at the latest migrations are skipped after one query each; the others are
# migrated by this many processes (each holds one database connection); a failing firm is named.
GET_EXECUTOR_FUNCTION = "firms.migration_executor.get_executor"
TENANT_MULTIPROCESSING_MAX_PROCESSES = env_int("MIGRATE_PROCESSES", 4)
TENANT_MULTIPROCESSING_CHUNKS = 1
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
# Celery's Django fixup closes every database connection before and after each task unless this is set: a new
# PostgreSQL backend per task, whose catalogue caches start cold (with a thousand firm schemas, most of a small
# task's time). Workers keep their connection instead, checked before every task as Django checks it before a
# request (CONN_MAX_AGE, health checks: config/celery.py), and renewed at the latest after this many tasks.
CELERY_DB_REUSE_MAX = env_int("CELERY_DB_REUSE_MAX", 1000)
CELERY_TIMEZONE = "Europe/Brussels"
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_QUEUE", "celery")
# --- Queues per kind of work -------------------------------------------------------------------------------
# A month-end export run never delays an invitation mail: each kind of work has its own queue, and a worker
# serves the queues named by `-Q` (docker-compose.yml runs one service per kind, each scalable). A worker
# started without `-Q` serves every queue below (make run, the tests). Routing is by task name (glob).
# CELERY_QUEUE (a test's own worker) puts every queue name under that prefix, so that runs sharing one Redis
# never take each other's tasks.
_QUEUE_PREFIX = os.environ.get("CELERY_QUEUE", "")


def work_queue(kind: str) -> str:
    return f"{_QUEUE_PREFIX}-{kind}" if _QUEUE_PREFIX else kind


CELERY_WORK_QUEUES = [work_queue(kind) for kind in ("exports", "checks", "bank", "mail", "maintenance")]
# Each queue bound under its own routing key: queues sharing a key on the direct exchange would each receive
# a copy of every task sent with it.
CELERY_TASK_QUEUES = [Queue(name, routing_key=name) for name in [CELERY_TASK_DEFAULT_QUEUE, *CELERY_WORK_QUEUES]]
CELERY_TASK_ROUTES = {
    "exports.*": {"queue": work_queue("exports")},  # export runs and their per-firm fan-out
    "documents.*": {"queue": work_queue("checks")},  # checks of uploaded documents
    "banking.*": {"queue": work_queue("bank")},  # bank statement fetches
    "mail.*": {"queue": work_queue("mail")},
    "core.mail.*": {"queue": work_queue("mail")},
    "maintenance.*": {"queue": work_queue("maintenance")},
    "firms.*": {"queue": work_queue("maintenance")},
}
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

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account before its password is checked
    "django.contrib.auth.backends.ModelBackend",
]
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
# Form widgets render through the project's templates first (templates/django/forms/: the empty choice).
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

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
# --- Stored files (UBL, PDF, scans, CODA, branding images) ------------------------------------------------
# Every read and write goes through Django's storage API (default_storage / FileField), never open() on a path,
# so web and worker processes on several machines share the files. Keys start with the firm's schema
# (`<schema>/documents/...`) and end in the content's sha256: per firm, and not guessable from outside.
# - without AWS_STORAGE_BUCKET_NAME: local disk under MEDIA_ROOT (make run, a single machine);
# - with it: S3 or any S3-compatible server through django-storages (boto3), configured by the standard
#   variables AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_S3_REGION_NAME and, for non-AWS servers,
#   AWS_S3_ENDPOINT_URL. The bucket stays private: every URL handed out is pre-signed and short-lived.
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
AWS_S3_ENDPOINT_URL = os.environ.get("AWS_S3_ENDPOINT_URL") or None
AWS_S3_REGION_NAME = os.environ.get("AWS_S3_REGION_NAME") or None
AWS_DEFAULT_ACL = None  # the bucket's own policy (private); never public-read
AWS_QUERYSTRING_AUTH = True  # URLs are pre-signed…
AWS_QUERYSTRING_EXPIRE = env_int("AWS_QUERYSTRING_EXPIRE", 60)  # …and live this many seconds
AWS_S3_FILE_OVERWRITE = False  # a content-addressed key is never replaced by other bytes
AWS_S3_SIGNATURE_VERSION = "s3v4"
AWS_S3_ADDRESSING_STYLE = os.environ.get("AWS_S3_ADDRESSING_STYLE") or ("path" if AWS_S3_ENDPOINT_URL else None)
# Larger files read in parts of this size (boto3 streams them; nothing large is held whole in memory).
AWS_S3_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# The agent's download of a file at least this large is answered with a redirect to a pre-signed URL of the
# bucket (the bytes then bypass the web processes); 0 turns that off. Local disk always streams through Django.
SYNC_REDIRECT_BYTES = env_int("SYNC_REDIRECT_BYTES", 1024 * 1024)
STORAGES = {
    "default": {
        "BACKEND": "storages.backends.s3.S3Storage"
        if AWS_STORAGE_BUCKET_NAME
        else "django.core.files.storage.FileSystemStorage"
    },
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
# Mail is sent by a worker (core.mail.send on the `mail` queue) after the request commits; True sends it in the
# process that asks, at once (tests that read the outbox).
MAIL_IN_PROCESS = env_bool("MAIL_IN_PROCESS", False)
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

# --- Hardening (issue 17): outages, throttling, content security policy ----------------------------------
# While PostgreSQL, Redis or the broker is down pages answer 503 with this Retry-After (seconds).
OUTAGE_RETRY_AFTER = env_int("OUTAGE_RETRY_AFTER", 30)
# Throttling. Failed logins per account: django-axes (lockouts and unlocks under Admin → Axes). Per client
# address, in Redis: (attempts, seconds) per kind; TRUSTED_PROXIES = how many proxies add X-Forwarded-For.
MIDDLEWARE.append("axes.middleware.AxesMiddleware")
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("LOGIN_LOCKOUT_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = ["username"]
# Per address is counted in Redis with its own, higher limit (an office shares one address): see below.
SILENCED_SYSTEM_CHECKS.append("axes.W006")
AXES_USERNAME_FORM_FIELD = "username"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_CLIENT_IP_CALLABLE = "core.throttle.axes_client_address"
AXES_VERBOSE = False
TRUSTED_PROXIES = env_int("TRUSTED_PROXIES", 0 if DEBUG else 1)
THROTTLE_LIMITS = {
    "login": (env_int("LOGIN_FAILURES_PER_ADDRESS", 30), 15 * 60),
    "password_reset": (env_int("PASSWORD_RESETS_PER_ADDRESS", 5), 60 * 60),
    "activation": (env_int("ACTIVATION_FAILURES_PER_ADDRESS", 10), 15 * 60),
    "sync_key": (env_int("SYNC_KEY_FAILURES_PER_ADDRESS", 20), 15 * 60),
    "signup": (env_int("SIGNUPS_PER_ADDRESS", 10), 60 * 60),
}
# Uploads whose check was lost (broker down when queued, worker killed) are queued again.
CELERY_BEAT_SCHEDULE["documents-resume-uploads"] = {"task": "documents.resume_uploads_all_firms", "schedule": 300}
# A sign-up is confirmed from a mailed link (firms.signup), valid this long.
SIGNUP_LINK_HOURS = env_int("SIGNUP_LINK_HOURS", 48)
CACHES["throttle"] = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": REDIS_URL,
    "KEY_PREFIX": CACHES["default"]["KEY_PREFIX"] + ":throttle",  # not per firm: one count across all hosts
}
# Content-Security-Policy on every response (django-csp): scripts, styles, images and fonts from the portal's
# own origin only, no inline script or style (the firm's colours come as a stylesheet, branding.views.theme),
# never framed. The quick-entry file view allows its own origin to frame it; the API docs allow inline styles.
MIDDLEWARE.append("csp.middleware.CSPMiddleware")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:", "blob:"],  # blob: the logo preview on Settings → Branding
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
    }
}
# --- end of hardening (issue 17) ---------------------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}
