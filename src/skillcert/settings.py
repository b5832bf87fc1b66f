"""skillcert settings: one module, every value from the environment through typed helpers."""

from __future__ import annotations

import base64
import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from xstatic.pkg import bootstrap as xstatic_bootstrap

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("SKILLCERT_VAR_DIR", str(PROJECT_DIR / "var")))


def env_str(name: str, default: str | None = None) -> str:
    """Value of NAME, or the content of the file named by NAME_FILE (for secrets), or default."""
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        try:
            return Path(file_name).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"{name}_FILE={file_name} cannot be read: {exc}") from exc
    value = os.environ.get(name)
    if value is None:
        if default is None:
            raise ImproperlyConfigured(f"Environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    lowered = raw.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false, yes/no, on/off).")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def _dev_secret(name: str, nbytes: int) -> str:
    """A secret kept in var/ for development; production must pass it in the environment."""
    path = VAR_DIR / "keys" / name
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    value = base64.urlsafe_b64encode(secrets.token_bytes(nbytes)).decode()
    path.write_text(value, encoding="utf-8")
    path.chmod(0o600)
    return value


ENVIRONMENT = env_str("SKILLCERT_ENV", "test" if "pytest" in sys.modules else "development")
if ENVIRONMENT not in {"development", "test", "production"}:
    raise ImproperlyConfigured("SKILLCERT_ENV must be development, test or production.")
PRODUCTION = ENVIRONMENT == "production"

DEBUG = env_bool("SKILLCERT_DEBUG", False) and not PRODUCTION
if PRODUCTION:
    SECRET_KEY = env_str("SKILLCERT_SECRET_KEY")
    FIELD_ENCRYPTION_KEY = env_str("SKILLCERT_FIELD_KEY")
    BLIND_INDEX_KEY = env_str("SKILLCERT_BLIND_INDEX_KEY")
else:
    SECRET_KEY = env_str("SKILLCERT_SECRET_KEY", "") or _dev_secret("secret_key", 48)
    FIELD_ENCRYPTION_KEY = env_str("SKILLCERT_FIELD_KEY", "") or _dev_secret("field_key", 32)
    BLIND_INDEX_KEY = env_str("SKILLCERT_BLIND_INDEX_KEY", "") or _dev_secret("blind_index_key", 32)
# Field encryption: "aes-gcm" (default) or "sm4-gcm" where the national algorithms are required (S13).
FIELD_CIPHER = env_str("SKILLCERT_FIELD_CIPHER", "aes-gcm")

ALLOWED_HOSTS = env_list("SKILLCERT_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("SKILLCERT_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "skillcert.core",
    "skillcert.catalog",
    "skillcert.filings",
    "skillcert.rounds",
    "skillcert.enrollment",
    "skillcert.logistics",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "django_tables2",
    "django_filters",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "skillcert.core.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "skillcert.core.middleware.SessionPolicyMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "skillcert.urls"
WSGI_APPLICATION = "skillcert.wsgi.application"
AUTH_USER_MODEL = "core.User"
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:login"

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
                "skillcert.core.context_processors.navigation",
            ],
        },
    },
]

VAR_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.parse(
        env_str("SKILLCERT_DATABASE_URL", f"sqlite:///{VAR_DIR / 'skillcert.sqlite3'}"),
        conn_max_age=env_int("SKILLCERT_DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the task worker and the web server share the file; IMMEDIATE avoids
    # "database is locked" when two writers upgrade their locks at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if ENVIRONMENT == "test":
    # Argon2 at full cost makes a test suite crawl; production keeps argon2.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

# S1: password policy profile (all configurable).
PASSWORD_MIN_LENGTH = env_int("SKILLCERT_PASSWORD_MIN_LENGTH", 8)
PASSWORD_MIN_CLASSES = env_int("SKILLCERT_PASSWORD_MIN_CLASSES", 3)
PASSWORD_MAX_AGE_DAYS = env_int("SKILLCERT_PASSWORD_MAX_AGE_DAYS", 90)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": PASSWORD_MIN_LENGTH},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {
        "NAME": "skillcert.core.passwords.CharacterClassValidator",
        "OPTIONS": {"min_classes": PASSWORD_MIN_CLASSES},
    },
    {"NAME": "skillcert.core.passwords.ContextPasswordValidator"},
]

# S2: lockout after 5 failures for 30 minutes, by user name; a looser per-IP throttle.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("SKILLCERT_LOCKOUT_FAILURES", 5)
AXES_COOLOFF_TIME = env_int("SKILLCERT_LOCKOUT_MINUTES", 30) / 60
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = (
    False  # a lockout lasts 30 minutes from the last counted failure
)
AXES_LOCKOUT_CALLABLE = "skillcert.core.views.auth.lockout_response"
AXES_USERNAME_FORM_FIELD = "username"
AXES_ENABLED = env_bool("SKILLCERT_AXES_ENABLED", True)
LOGIN_IP_THROTTLE_PER_HOUR = env_int("SKILLCERT_LOGIN_IP_THROTTLE", 50)
# Lockout is per user name (S2); the per-IP throttle is ours (core.throttle), looser so one office NAT is not locked out.
SILENCED_SYSTEM_CHECKS = ["axes.W006"]

# S3: staff sessions end after 30 idle minutes and after an absolute lifetime.
SESSION_IDLE_MINUTES = env_int("SKILLCERT_SESSION_IDLE_MINUTES", 30)
SESSION_COOKIE_AGE = env_int("SKILLCERT_SESSION_MAX_HOURS", 12) * 3600
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# S4: TOTP for authority staff and the three administrators (configurable for a local demo).
OTP_REQUIRED = env_bool("SKILLCERT_OTP_REQUIRED", True)
OTP_TOTP_ISSUER = "skillcert"

HTTPS = env_bool("SKILLCERT_HTTPS", PRODUCTION)
if HTTPS:
    SECURE_SSL_REDIRECT = env_bool("SKILLCERT_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SKILLCERT_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the cookie-less meta tag; keep default

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "style-src": ["'self'"],
        "script-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

LANGUAGE_CODE = "zh-hans"
# Chinese only: with English offered, an English browser got Django's own strings (weekday names,
# form errors) in English among our Chinese ones.
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [("bootstrap", xstatic_bootstrap.BASE_DIR)]
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Tests run tasks inline; everywhere else a db_worker process picks them up.
_DEFAULT_TASKS_BACKEND = (
    "django_tasks.backends.immediate.ImmediateBackend"
    if ENVIRONMENT == "test"
    else "django_tasks_db.DatabaseBackend"
)
TASKS = {"default": {"BACKEND": env_str("SKILLCERT_TASKS_BACKEND", _DEFAULT_TASKS_BACKEND)}}

EMAIL_BACKEND = env_str("SKILLCERT_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("SKILLCERT_FROM_EMAIL", "skillcert@localhost")
# In-app notifications are also e-mailed to recipients who have an address (off by default).
NOTIFY_EMAIL = env_bool("SKILLCERT_NOTIFY_EMAIL", False)

DJANGO_TABLES2_TEMPLATE = "core/table.html"

# Behind N reverse proxies that each append to X-Forwarded-For, the client is the Nth address from
# the right. 0 (default) trusts REMOTE_ADDR only, so a client cannot forge its address.
PROXY_HOPS = env_int("SKILLCERT_PROXY_HOPS", 0)

# R1.4: scope adjustments are normally collected in these months; outside them a submission is
# still accepted and the authority sees a warning. Comma-separated months, e.g. "6,12".
try:
    SCOPE_ADJUSTMENT_MONTHS = tuple(
        sorted({int(m) for m in env_list("SKILLCERT_ADJUSTMENT_MONTHS", ["6", "12"])})
    )
except ValueError:
    raise ImproperlyConfigured("SKILLCERT_ADJUSTMENT_MONTHS must be months 1-12, e.g. 6,12.") from None
if any(not 1 <= m <= 12 for m in SCOPE_ADJUSTMENT_MONTHS):
    raise ImproperlyConfigured("SKILLCERT_ADJUSTMENT_MONTHS must be months 1-12, e.g. 6,12.")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("SKILLCERT_LOG_LEVEL", "WARNING")},
}
