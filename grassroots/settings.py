"""Django settings for Grassroots.

Everything a deployment changes comes from the environment; see README.md
("配置 / Configuration") for the list.
"""

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("GRASSROOTS_VAR_DIR", BASE_DIR / "var"))


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG and not env_bool("GRASSROOTS_ALLOW_DEV_KEY", True):
        raise RuntimeError("DJANGO_SECRET_KEY must be set in production")
    SECRET_KEY = "dev-only-insecure-key-change-me"  # noqa: S105 (development default)

ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",") if h]
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "treebeard",
    "ninja",
    "django_tasks_db",
    "grassroots.core",
    "grassroots.accounts",
    "grassroots.orgs",
    "grassroots.members",
    "grassroots.orglife",
    "grassroots.development",
    "grassroots.relations",
    "grassroots.dues",
    "grassroots.points",
    "grassroots.talks",
    "grassroots.decisions",
    "grassroots.disclosure",
    # The shared engines the parts below build on, then the notice's remaining parts.
    "grassroots.tracking",
    "grassroots.ballots",
    "grassroots.rectification",
    "grassroots.leaders",
    "grassroots.assistance",
    "grassroots.volunteering",
    "grassroots.supervision",
    "grassroots.discipline",
    "grassroots.guarantees",
    "grassroots.assessment",
    # The project's top: the home page, and the demo and benchmark dataset.
    "grassroots.dashboard",
    "grassroots.dataset",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "grassroots.core.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "grassroots.core.middleware.CurrentUserMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
]

ROOT_URLCONF = "grassroots.urls"
WSGI_APPLICATION = "grassroots.wsgi.application"

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
                "django.template.context_processors.csp",
                "grassroots.core.context_processors.shell",
            ],
        },
    },
]

# SQLite under var/ by default; PostgreSQL (or anything dj-database-url reads) via DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        # JIT compilation costs more than it saves on the platform's short aggregate queries: at city scale a grouped
        # count whose estimate crosses jit_above_cost spent 65 of its 87 ms compiling (bench/bench_pages.py).
        DATABASES["default"].setdefault("OPTIONS", {}).setdefault("options", "-c jit=off")
else:
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "grassroots.sqlite3",
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Lock-out after repeated failures (see grassroots/accounts/rules.py for the numbers).
LOGIN_MAX_FAILURES = int(os.environ.get("GRASSROOTS_LOGIN_MAX_FAILURES", "5"))
LOGIN_LOCK_MINUTES = int(os.environ.get("GRASSROOTS_LOGIN_LOCK_MINUTES", "15"))

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"

from django.utils.csp import CSP  # noqa: E402

# Every asset comes from our own origin; nothing from a CDN.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": VAR_DIR / "media"}},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

PAGE_SIZE = 50

# Background work (imports, exports, reminders) through Django's tasks API, stored in the database and
# run by `manage.py db_worker` (started by `make run`); no broker needed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# The cache holds short-lived counters (the public portal's question rate limit). A file cache under var/ is
# shared by every gunicorn worker on the machine without another service.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": VAR_DIR / "cache"}}

# Personal data at rest (grassroots/core/crypto.py): Fernet keys, newest first, and the lookup-hash key.
DATA_KEYS = os.environ.get("GRASSROOTS_DATA_KEYS", "")
HASH_KEY = os.environ.get("GRASSROOTS_HASH_KEY", "")

# Set when gunicorn sits behind a reverse proxy that sets X-Forwarded-For.
TRUST_X_FORWARDED_FOR = env_bool("GRASSROOTS_TRUST_X_FORWARDED_FOR", False)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("GRASSROOTS_LOG_LEVEL", "WARNING")},
}

# Local practices (the regulation's numbers that differ by place: GRASSROOTS_* names in the README) are set in
# grassroots/local_settings.py on the server, which is not in the repository. Each app reads them with the
# national default when unset.
if (BASE_DIR / "grassroots" / "local_settings.py").exists():
    from .local_settings import *  # noqa: F403
