"""Alianza settings: one module, configured by environment variables (documented in README)."""

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent.parent
_SOURCE_ROOT = PACKAGE_DIR.parent.parent


def _default_data_dir() -> Path:
    # In a source checkout keep data beside the code; an installed package uses the home dir.
    if (_SOURCE_ROOT / "pyproject.toml").exists():
        return _SOURCE_ROOT / "var"
    return Path.home() / ".local" / "share" / "alianza"


DATA_DIR = Path(os.environ.get("ALIANZA_DATA_DIR") or _default_data_dir())
DEBUG = os.environ.get("ALIANZA_DEBUG", "0") == "1"


def _secret_key() -> str:
    if key := os.environ.get("ALIANZA_SECRET_KEY"):
        return key
    # A per-installation random key kept in the data directory, never committed.
    path = DATA_DIR / "secret_key"
    if not path.exists():
        import secrets

        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h for h in os.environ.get("ALIANZA_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "django_htmx",
    "alianza.access",
    "alianza.audit",
    "alianza.agencies",
    "alianza.accounts",
    "alianza.intel",
    "alianza.vetting",
    "alianza.training",
    "alianza.operations",
    "alianza.border",
    "alianza.flows",
    "alianza.patrols",
    "alianza.positions",
    "alianza.demo",
    "alianza.search",
    "alianza.exports",
    "alianza.notifications",
    "alianza.series",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "alianza.config.cache_headers.NoStoreForSignedInMiddleware",
    "csp.middleware.CSPMiddleware",
    "alianza.audit.middleware.RequestContextMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "alianza.accounts.middleware.IdleTimeoutMiddleware",
    "alianza.accounts.middleware.UserLanguageMiddleware",
    "alianza.accounts.middleware.DisplayTimeZoneMiddleware",
    "alianza.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "alianza.config.urls"
WSGI_APPLICATION = "alianza.config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "alianza.accounts.context_processors.navigation",
            ],
        },
    },
]


def _database() -> dict:
    if url := os.environ.get("DATABASE_URL"):
        return dj_database_url.parse(url, conn_max_age=60)
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": DATA_DIR / "alianza.sqlite3",
        "OPTIONS": {
            # WAL lets readers run beside the writer; IMMEDIATE takes the write lock up front
            # so the audit chain's read-then-append can never interleave.
            "init_command": (
                "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA foreign_keys=ON;"
            ),
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        },
    }


DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Login throttling (django-axes): lock a username+address pair after repeated failures.
AXES_FAILURE_LIMIT = int(os.environ.get("ALIANZA_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.25  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

# Sessions and cookies.
SESSION_IDLE_TIMEOUT_SECONDS = int(os.environ.get("ALIANZA_IDLE_TIMEOUT_MINUTES", "30")) * 60
SESSION_COOKIE_AGE = 12 * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
_SECURE = os.environ.get("ALIANZA_SECURE_COOKIES", "0" if DEBUG else "auto")
# Behind TLS set ALIANZA_SECURE_COOKIES=1; plain http on 127.0.0.1 (the demo) cannot carry them.
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = _SECURE == "1"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy: nothing from any other origin, ever.
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
    }
}

# Maps draw vector layers only (boundary, segments, events, positions): no tile server by default.
# A deployment with its own tile server sets e.g. https://tiles.example.internal/{z}/{x}/{y}.png;
# only that origin is then added to img-src.
ALIANZA_MAP_TILE_URL = os.environ.get("ALIANZA_MAP_TILE_URL", "")
ALIANZA_MAP_TILE_ATTRIBUTION = os.environ.get("ALIANZA_MAP_TILE_ATTRIBUTION", "")
# H3 resolution of the flow hotspots (5-9; 7 is about 5 km² a cell). See docs/flows.md.
ALIANZA_HOTSPOT_RESOLUTION = int(os.environ.get("ALIANZA_HOTSPOT_RESOLUTION", "7"))
if ALIANZA_MAP_TILE_URL:
    from urllib.parse import urlsplit as _urlsplit

    _tiles = _urlsplit(ALIANZA_MAP_TILE_URL)
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")

# Two-factor authentication (TOTP). Roles listed here must use it; agencies may require it of all.
OTP_TOTP_ISSUER = "Alianza"
ALIANZA_2FA_REQUIRED_ROLES = ["integrity_officer", "agency_admin"]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "UTC"
# Arizona and Sonora keep the same offset all year (no daylight saving).
ALIANZA_DISPLAY_TIME_ZONE = os.environ.get("ALIANZA_DISPLAY_TIME_ZONE", "America/Phoenix")

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# Static files come from the installed packages themselves (no CDN, no collectstatic needed).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# The Ed25519 key that signs audit checkpoints.
ALIANZA_AUDIT_SIGNING_KEY = Path(
    os.environ.get("ALIANZA_AUDIT_SIGNING_KEY") or DATA_DIR / "audit-signing-key.pem"
)

NINJA_PAGINATION_PER_PAGE = 50

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("ALIANZA_LOG_LEVEL", "WARNING")},
}
LOGIN_URL_PATH = "/accounts/login/"
