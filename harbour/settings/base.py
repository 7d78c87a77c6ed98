"""Settings shared by every environment. Values that differ come from the environment.

- DATABASE_URL: default SQLite under var/ (embedded, zero set-up); PostgreSQL in production.
- HARBOUR_SECRET_KEY: required outside local development and tests.
- HARBOUR_DEBUG: "1" turns on Django's debug pages; never in production.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent  # the harbour package
PROJECT_DIR = Path(os.environ.get("HARBOUR_PROJECT_DIR", BASE_DIR.parent))
VAR_DIR = Path(os.environ.get("HARBOUR_VAR_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("HARBOUR_SECRET_KEY", "")
DEBUG = env_bool("HARBOUR_DEBUG", False)
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("HARBOUR_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "harbour.core",
    "harbour.accounts",
    "harbour.audit",
    "harbour.access",
    "harbour.people",
    "harbour.language",
    "harbour.missing",
    "harbour.evidence",
    "harbour.risk",
    "harbour.graph",
    "harbour.analysis",
    "harbour.reports",
    "harbour.intel",
    "harbour.disruption",
    "harbour.mace",
    "harbour.sharing",
    "harbour.notifications",
    "harbour.retention",
    "harbour.api",
    "harbour.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "harbour.core.middleware.SecurityHeadersMiddleware",
    "harbour.core.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "harbour.urls"
WSGI_APPLICATION = "harbour.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "harbour.core.context_processors.harbour",
            ],
        },
    },
]


def database_from_env(default_sqlite: Path) -> dict:
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{default_sqlite}"
    config = dj_database_url.parse(url, conn_max_age=60)
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # IMMEDIATE transactions: the audit hash chain takes the write lock up front, so two
        # requests never both read the chain head and then fail to write. Write-ahead logging:
        # readers (the screens) are never blocked by a writer (an evidence import in the worker).
        config["CONN_MAX_AGE"] = 0
        config.setdefault("OPTIONS", {}).update(
            {"transaction_mode": "IMMEDIATE", "timeout": 20, "init_command": "PRAGMA journal_mode=WAL;"}
        )
    return config


DATABASES = {"default": database_from_env(VAR_DIR / "harbour.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["harbour.accounts.backends.LockoutModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lockout: this many failed sign-ins within the window lock the account for the window.
HARBOUR_LOCKOUT_FAILURES = 5
HARBOUR_LOCKOUT_WINDOW_MINUTES = 15

# Idle timeout: the session expires after 30 minutes without a request.
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content security policy: no inline script or style; everything from our own origin.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"  # shown to users; stored in UTC
USE_I18N = False
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# Front-end assets compiled from npm packages at set-up (make assets); never committed.
ASSETS_DIR = Path(os.environ.get("HARBOUR_ASSETS_DIR", VAR_DIR / "assets"))
STATICFILES_DIRS = [ASSETS_DIR] if ASSETS_DIR.exists() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
MEDIA_ROOT = VAR_DIR / "media"

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "harbour.api.authentication.BearerTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "harbour.api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Harbour API",
    "DESCRIPTION": (
        "Versioned REST API for Harbour. Every endpoint applies the same access policy and audit as the screens."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
}
HARBOUR_API_TOKEN_HOURS = 12

# Digital evidence search indexes (tantivy), one directory per investigation.
HARBOUR_EVIDENCE_INDEX_DIR = Path(os.environ.get("HARBOUR_EVIDENCE_INDEX_DIR", VAR_DIR / "evidence-index"))
# Evidence files at least this large are parsed and scanned in a second process while the import
# stores and indexes (harbour.evidence.pipeline); smaller ones in the worker's own process.
# How long an import waits for another import into the same investigation to free its index.
HARBOUR_EVIDENCE_INDEX_WAIT_SECONDS = int(os.environ.get("HARBOUR_EVIDENCE_INDEX_WAIT_SECONDS", 3 * 60 * 60))
HARBOUR_EVIDENCE_ANALYSE_APART_BYTES = int(os.environ.get("HARBOUR_EVIDENCE_ANALYSE_APART_BYTES", 8 * 1024 * 1024))

TASKS = {
    "default": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}
