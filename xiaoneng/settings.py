"""Django settings for Xiaoneng. Everything configurable comes from the environment."""

from pathlib import Path

import dj_database_url

from xiaoneng.env import env_bool, env_int, env_list, env_path, env_str, secret_key_from

BASE_DIR = Path(__file__).resolve().parent

DATA_DIR = env_path("XIAONENG_DATA_DIR", "./var")
DEBUG = env_bool("XIAONENG_DEBUG", False)
SECRET_KEY = secret_key_from(DATA_DIR)
ALLOWED_HOSTS = env_list("XIAONENG_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("XIAONENG_CSRF_TRUSTED_ORIGINS", [])
# Behind a TLS-terminating proxy set XIAONENG_HTTPS=true: secure cookies, HSTS, redirects.
HTTPS = env_bool("XIAONENG_HTTPS", False)
# The address users open, e.g. https://xiaoneng.example.gov.cn: links in email and robot
# messages are made absolute with it (they stay relative while it is unset).
SITE_URL = env_str("XIAONENG_SITE_URL").strip().rstrip("/")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_htmx",
    "csp",
    "axes",
    "django_tasks",
    "django_tasks_db",
    "xiaoneng.core",
    "xiaoneng.units",
    "xiaoneng.accounts",
    "xiaoneng.notifications",
    "xiaoneng.supervision",
    "xiaoneng.projects",
    "xiaoneng.fieldwork",
    "xiaoneng.branches",
    "xiaoneng.exemplars",
    "xiaoneng.brevity",
    "xiaoneng.community",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "xiaoneng.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "xiaoneng.core.middleware.RequestContextMiddleware",
    "xiaoneng.accounts.middleware.ForcePasswordChangeMiddleware",
    # Last, so that it sees the final response of a failed login.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "xiaoneng.urls"
WSGI_APPLICATION = "xiaoneng.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "csp.context_processors.nonce",
                "xiaoneng.core.context_processors.shell",
            ],
        },
    }
]

# Database: SQLite in the data directory unless DATABASE_URL is set.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "xiaoneng.sqlite3",
            "OPTIONS": {
                # WAL lets readers go on while one writer writes; IMMEDIATE takes the
                # write lock at BEGIN so concurrent writers wait (busy timeout) instead
                # of failing mid-transaction.
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    # A resident's phone number as the user name (accounts/backends.py).
    "xiaoneng.accounts.backends.PhoneBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out (django-axes): after this many failures for one username from one address.
AXES_FAILURE_LIMIT = env_int("XIAONENG_LOGIN_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_int("XIAONENG_LOGIN_COOLOFF_MINUTES", 30) / 60  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A resident's phone counts against their user name (accounts/backends.py).
AXES_USERNAME_CALLABLE = "xiaoneng.accounts.backends.axes_username"
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False
# The reverse proxies in front of the platform (each appends to X-Forwarded-For): the client's
# address, for the lock-out and the public sign-up's throttle, is read that far from the right.
XIAONENG_PROXY_COUNT = env_int("XIAONENG_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "xiaoneng.core.throttle.client_of"

# Sessions and cookies.
SESSION_COOKIE_AGE = env_int("XIAONENG_SESSION_HOURS", 12) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if HTTPS else None
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: this origin only; no CDN, no remote fonts, no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # ECharts and htmx set element styles from script; no external origin either way.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# Internationalisation: Chinese first, English through gettext.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["xiaoneng.formats"]  # 5月3日 (Django's zh-hans says 05月3日)
TIME_ZONE = env_str("XIAONENG_TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise expects it, even before collectstatic
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    # Hashed names, gzip and brotli copies, far-future caching once collected (core/storage.py).
    "staticfiles": {"BACKEND": "xiaoneng.core.storage.StaticStorage"},
}
# Serve straight from the app folders too, so a fresh checkout needs no collectstatic.
WHITENOISE_USE_FINDERS = True
# Only the collected files: hashed names are cached for ever (immutable), the rest briefly.
WHITENOISE_MAX_AGE = 60
# Uploaded files. With more than one app server, a directory they all share (check --deploy
# warns when it is left inside the data directory on PostgreSQL).
MEDIA_ROOT = env_path("XIAONENG_MEDIA_ROOT", str(DATA_DIR / "uploads"))
MEDIA_URL = "/media/"
UPLOAD_MAX_MB = env_int("XIAONENG_UPLOAD_MAX_MB", 20)
DATA_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_MB * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Spreadsheets (and documents) are read through one guarded reader (core.guarded): the
# archive is checked before any parser touches it, and the parse runs in a child process
# with a memory and a time limit, so a hostile file ends as an error, never a dead server.
IMPORT_MAX_MB = env_int("XIAONENG_IMPORT_MAX_MB", 20)
IMPORT_MAX_ROWS = env_int("XIAONENG_IMPORT_MAX_ROWS", 200_000)
IMPORT_MAX_COLUMNS = env_int("XIAONENG_IMPORT_MAX_COLUMNS", 200)
IMPORT_MAX_UNPACKED_MB = env_int("XIAONENG_IMPORT_MAX_UNPACKED_MB", 600)
IMPORT_MAX_RATIO = env_int("XIAONENG_IMPORT_MAX_RATIO", 100)
IMPORT_PARSE_MEMORY_MB = env_int("XIAONENG_IMPORT_PARSE_MEMORY_MB", 3072)
IMPORT_PARSE_SECONDS = env_int("XIAONENG_IMPORT_PARSE_SECONDS", 60)
# An import job whose worker stopped reporting for this long is marked failed.
IMPORT_STALE_MINUTES = env_int("XIAONENG_IMPORT_STALE_MINUTES", 5)

# Dates typed anywhere must fall in [this year, today + N years]; longer texts are refused.
DATE_MIN_YEAR = env_int("XIAONENG_DATE_MIN_YEAR", 2000)
DATE_MAX_YEARS_AHEAD = env_int("XIAONENG_DATE_MAX_YEARS_AHEAD", 10)
TEXT_MAX_CHARS = env_int("XIAONENG_TEXT_MAX_CHARS", 5000)

# API tokens end after this many hours, like a session.
TOKEN_HOURS = env_int("XIAONENG_TOKEN_HOURS", 12)

# Robots post only to https on the DingTalk and WeCom robot hosts, or to these hosts.
WEBHOOK_ALLOWED_HOSTS = env_list("XIAONENG_WEBHOOK_ALLOWED_HOSTS", [])

# Email: console output in the demo; SMTP when XIAONENG_EMAIL_HOST is set.
EMAIL_HOST = env_str("XIAONENG_EMAIL_HOST")
EMAIL_PORT = env_int("XIAONENG_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("XIAONENG_EMAIL_USER")
EMAIL_HOST_PASSWORD = env_str("XIAONENG_EMAIL_PASSWORD")
EMAIL_USE_TLS = env_bool("XIAONENG_EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("XIAONENG_EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env_str("XIAONENG_EMAIL_FROM", "xiaoneng@localhost")
EMAIL_BACKEND = (
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend"
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "xiaoneng.accounts.authentication.ApiTokenAuthentication",
        "xiaoneng.accounts.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["xiaoneng.core.api.IsStaffMember"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "xiaoneng.core.api.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Xiaoneng API",
    "DESCRIPTION": "效能 — 督查督办、重大项目调度、效能考评",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["xiaoneng.core.api.IsStaffMember"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Choice sets that share a field name across models get explicit enum names.
    "ENUM_NAME_OVERRIDES": {
        "UnitKindEnum": "xiaoneng.units.models.Kind",
        "UnitLevelEnum": "xiaoneng.units.models.Level",
        "ProjectStatusEnum": "xiaoneng.projects.models.Status",
        "ItemKindEnum": "xiaoneng.supervision.models.ItemKind",
        "ItemStatusEnum": "xiaoneng.supervision.models.Status",
        "WebhookKindEnum": "xiaoneng.notifications.models.WebhookKind",
        "VisitKindEnum": "xiaoneng.fieldwork.models.VisitKind",
        "ActivityKindEnum": "xiaoneng.branches.models.ActivityKind",
        "ExemplarStatusEnum": "xiaoneng.exemplars.models.Status",
        "MeetingKindEnum": "xiaoneng.brevity.models.MeetingKind",
        "DocumentKindEnum": "xiaoneng.brevity.models.DOCUMENT_KINDS",
        "MatterCategoryEnum": "xiaoneng.community.models.Category",
        "MatterStatusEnum": "xiaoneng.community.models.MatterStatus",
        "DecisionKindEnum": "xiaoneng.community.models.DecisionKind",
        "RatingValueEnum": "xiaoneng.community.models.RatingValue",
        "GroupKindEnum": "xiaoneng.community.models.GroupKind",
        "ReportTargetEnum": "xiaoneng.community.models.ReportTarget",
    },
}

# Background work: Django's tasks API with the database backend.
TASKS = {
    "default": {
        "BACKEND": env_str("XIAONENG_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("XIAONENG_LOG_LEVEL", "INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
