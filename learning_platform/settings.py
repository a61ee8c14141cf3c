"""Settings for the learning platform, read from the environment (and an optional .env file).

See .env.example for every variable. Development needs none of them; production needs at least
SECRET_KEY and ALLOWED_HOSTS, and DEBUG left unset.
"""

import re
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# Real environment variables win over the file; ENV_FILE names another file (or none).
environ.Env.read_env(env.str("ENV_FILE", default=str(BASE_DIR / ".env")))

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment, or set DEBUG=true for development."
        )
    SECRET_KEY = "django-insecure-development-only-key"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[])
if DEBUG:
    ALLOWED_HOSTS += ["localhost", "127.0.0.1", "[::1]"]
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "learning_platform.apps.StaffAdminConfig",  # django.contrib.admin, staff-only site
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "csp",
    "django_ratelimit",
    "learning_platform",
    "classes",
    "tasks",
    "activities",
    "accounts",
    "history",
    "notifications.apps.NotificationsConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the docs page's scripts, served from here: no CDN
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Before anything reads the request: a NUL byte is refused before it reaches the database.
    "learning_platform.middleware.RefuseBadInput",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # After the session, before CommonMiddleware: the cookie, then Accept-Language, then
    # LANGUAGE_CODE. learner_language (after authentication) puts a saved preference first.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "learning_platform.middleware.learner_time_zone",
    "learning_platform.middleware.learner_language",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "learning_platform.urls"
WSGI_APPLICATION = "learning_platform.wsgi.application"
ASGI_APPLICATION = "learning_platform.asgi.application"

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
            ],
        },
    },
]

# Database: DATABASE_URL, or a SQLite file beside the code so a fresh checkout runs as is.
DATABASE_URL = env.str("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")
MONGODB = DATABASE_URL.startswith(("mongodb://", "mongodb+srv://"))
if MONGODB:
    # django-environ does not know MongoDB URLs; django-mongodb-backend takes the URL as HOST.
    DATABASES = {"default": {"ENGINE": "django_mongodb_backend", "HOST": DATABASE_URL}}
    DATABASES["default"]["NAME"] = urlsplit(DATABASE_URL).path.strip("/")
    if not DATABASES["default"]["NAME"]:
        raise ImproperlyConfigured(
            "DATABASE_URL must name the database: mongodb://HOST:27017/learning_platform"
        )
else:
    DATABASES = {"default": env.db_url_config(DATABASE_URL)}
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets pages read while a write is in progress; IMMEDIATE takes the write lock at
        # the start of each transaction, so two writers queue instead of failing half-way.
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

# Every model declares its own 24-hex ObjectId primary key; this covers Django's implicit
# many-to-many tables only.
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
SILENCED_SYSTEM_CHECKS = []

if MONGODB:
    # MongoDB has no integer auto-increment: Django's own apps get ObjectId keys, with migrations
    # generated for them. The project's apps and migrations are the same on every database.
    mongodb_apps = {
        "learning_platform.apps.StaffAdminConfig": "MongoAdminConfig",
        "django.contrib.auth": "MongoAuthConfig",
        "django.contrib.contenttypes": "MongoContentTypesConfig",
    }
    INSTALLED_APPS = [
        f"learning_platform.mongodb_apps.{mongodb_apps[app]}" if app in mongodb_apps else app
        for app in INSTALLED_APPS
    ]
    MIGRATION_MODULES = {
        app: f"mongo_migrations.{app}" for app in ("admin", "auth", "contenttypes")
    }
    DEFAULT_AUTO_FIELD = "django_mongodb_backend.fields.ObjectIdAutoField"
    # MongoDB enforces no check constraints; the services keep those invariants (the seat count
    # moves only through conditional updates), so the warning for each one is noise.
    SILENCED_SYSTEM_CHECKS.append("models.W027")

AUTH_USER_MODEL = "learning_platform.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# New bookings wait for staff to confirm them (status "pending") when true. Read at booking time.
BOOKINGS_NEED_CONFIRMATION = env.bool("BOOKINGS_NEED_CONFIRMATION", default=False)

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# Mail: EMAIL_URL picks the backend. consolemail:// (the default) prints every message on the
# server's console; production uses SMTP with TLS, e.g. smtp+tls://USER:PASSWORD@HOST:587.
# Settings the URL leaves unset (None) keep Django's defaults.
globals().update(
    (name, value)
    for name, value in env.email_url("EMAIL_URL", default="consolemail://").items()
    if value is not None
)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Hablamos <noreply@localhost>")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)
# How long a password reset link works, in seconds.
PASSWORD_RESET_TIMEOUT = env.int("PASSWORD_RESET_TIMEOUT", default=60 * 60 * 24)

# Spanish and English. A page speaks the learner's saved language (User.language), else the
# language switch's cookie, else the browser's Accept-Language, else LANGUAGE_CODE.
LANGUAGE_CODE = env.str("LANGUAGE_CODE", default="es")
LANGUAGES = [("es", "Español"), ("en", "English")]
if LANGUAGE_CODE not in dict(LANGUAGES):
    raise ImproperlyConfigured(f"LANGUAGE_CODE must be one of {', '.join(dict(LANGUAGES))}.")
# The catalogues (.po and their compiled .mo, both committed): locale/<language>/LC_MESSAGES/.
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True
# One date format per language, zone included in every time: pages and admin alike.
FORMAT_MODULE_PATH = ["learning_platform.formats"]

STATIC_URL = "static/"
# Where collectstatic writes (and whitenoise or nginx serve from).
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app folders when nothing has been collected (development, tests).
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)

# The JSON API (api/): token or session (with CSRF) sign-in, JSON errors, writes rate-limited
# in the default cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # First, so that a request without credentials is a 401 with a challenge.
        "api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.WriteThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "api-write": env.str("API_WRITE_RATE", default="60/minute"),
        "api-token": env.str("API_TOKEN_RATE", default="10/minute"),
    },
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "NON_FIELD_ERRORS_KEY": "nonFieldErrors",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Hablamos API",
    "DESCRIPTION": (
        "Classes, activities and tasks of the live-class language school, in the seed's JSON "
        "shape. Sign in with `Authorization: Token <key>` (a key from /account/api-token/ or "
        "POST /api/v1/token/), or with the site's session and its CSRF token."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_links",
    ],
}

# HTTPS: the site is served over TLS only. Plain HTTP is redirected, browsers are told to
# remember it (HSTS), and cookies travel over TLS only.
HTTPS = env.bool("HTTPS", default=False)
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = env.int("HSTS_SECONDS", default=31_536_000 if HTTPS else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("HSTS_INCLUDE_SUBDOMAINS", default=HTTPS)
SECURE_HSTS_PRELOAD = env.bool("HSTS_PRELOAD", default=HTTPS)
# A proxy in front (nginx) says which scheme and address the client used. Its headers are
# believed only when TRUSTED_PROXY says there is one; otherwise any client could claim HTTPS.
TRUSTED_PROXY = env.bool("TRUSTED_PROXY", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if TRUSTED_PROXY else None

# Content-Security-Policy: scripts, styles and images from the site itself only (no inline
# code anywhere, the admin included); nobody may frame the pages.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# The cache counts sign-in failures and bookings (django-ratelimit). Redis when CACHE_URL or
# REDIS_URL names one, so that every worker shares the counts; local memory otherwise (one
# process: development and tests).
CACHE_URL = env.str("CACHE_URL", default="") or env.str("REDIS_URL", default="")
if CACHE_URL.startswith(("redis://", "rediss://", "unix://")):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
elif CACHE_URL:
    CACHES = {"default": env.cache_url_config(CACHE_URL)}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# django-ratelimit warns about any cache but memcached and django-redis; Django's own Redis
# cache increments atomically too. Local memory counts per process: fine for one process, and
# learning_platform.checks says so at deploy time.
SILENCED_SYSTEM_CHECKS.append("django_ratelimit.W001")
if CACHES["default"]["BACKEND"].endswith("LocMemCache"):
    SILENCED_SYSTEM_CHECKS.append("django_ratelimit.E003")
# Any django-ratelimit key "ip" reads the client's address the way the throttling does.
RATELIMIT_IP_META_KEY = "learning_platform.throttling.client_address"
# Sign-in failures allowed per account and per client address in a window, then a wait until
# the window ends; successful bookings allowed per learner per day.
LOGIN_FAILURES_PER_ACCOUNT = env.str("LOGIN_FAILURES_PER_ACCOUNT", default="5/15m")
LOGIN_FAILURES_PER_ADDRESS = env.str("LOGIN_FAILURES_PER_ADDRESS", default="30/15m")
for _rate in (LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ADDRESS):
    if not re.fullmatch(r"[1-9]\d*/\d*[smhd]", _rate):
        raise ImproperlyConfigured(f"{_rate!r} is not a rate: write count/period, e.g. 5/15m.")
BOOKINGS_PER_DAY = env.int("BOOKINGS_PER_DAY", default=10)

# A mail server that does not answer delays the messages (cron retries), never the pages.
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=10)
# Where the links in messages point: the site as learners reach it.
SITE_URL = env.str("SITE_URL", default="http://localhost:8000")
# How long before a class its members get a reminder (send_notifications writes it).
REMINDER_LEAD = timedelta(minutes=env.int("REMINDER_LEAD", default=60))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
