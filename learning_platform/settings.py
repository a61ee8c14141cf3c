"""Settings for the learning platform, read from the environment (and an optional .env file).

See .env.example for every variable. Development needs none of them; production needs at least
SECRET_KEY and ALLOWED_HOSTS, and DEBUG left unset.
"""

from pathlib import Path
from urllib.parse import urlsplit

import environ
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
    "learning_platform",
    "classes",
    "tasks",
    "activities",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
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
    SILENCED_SYSTEM_CHECKS = ["models.W027"]

AUTH_USER_MODEL = "learning_platform.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

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
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"] if (BASE_DIR / "static").is_dir() else []
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve straight from the app folders when nothing has been collected (development, tests).
WHITENOISE_USE_FINDERS = env.bool("WHITENOISE_USE_FINDERS", default=True)

SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = not DEBUG and env.bool("HTTPS", default=False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if not DEBUG else None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
}
