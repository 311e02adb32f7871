"""Django settings for the VRU portal.

Every value that differs between machines comes from an environment variable, read through the `env_*`
helpers below. Each variable is documented in docs/configuration.md; a test fails when one is read here
but missing from that page (tests/unit/portal/test_settings_documented.py).
"""

from __future__ import annotations

import os
import sys
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    if value.strip().lower() in _TRUE:
        return True
    if value.strip().lower() in _FALSE:
        return False
    # A typo such as DJANGO_DEBUG=ture must not silently mean "off" (or "on").
    raise ImproperlyConfigured(f"{name}={value!r}: use true or false")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if value is None or not value.strip():
        return default
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={value!r}: must be a whole number") from None


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# src/portal/settings.py -> the repository root.
BASE_DIR = Path(__file__).resolve().parents[2]
# Everything the portal writes (generated secret key, SQLite database, collected static files) lives here.
VAR_DIR = Path(env_str("VRU_VAR_DIR", str(BASE_DIR / "var"))).resolve()
NODE_MODULES = BASE_DIR / "node_modules"

# pytest-django imports these settings with pytest loaded; `manage.py test` is Django's own runner.
RUNNING_TESTS = "pytest" in sys.modules or sys.argv[1:2] == ["test"]

DEBUG = env_bool("DJANGO_DEBUG", False)


def _local_secret_key(path: Path) -> str:
    """Return the key in `path`, creating it first if needed: a per-machine key that is never committed.

    Two processes may start at once (pytest-xdist workers, runserver's reloader): the key is written to a
    temporary file and hard-linked into place, which fails rather than overwrites if the other won.
    """
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}")
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(get_random_secret_key())
        try:
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            temporary.unlink()
    return path.read_text().strip()


SECRET_KEY = env_str("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or RUNNING_TESTS:
        SECRET_KEY = _local_secret_key(VAR_DIR / "secret_key")
    else:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY is not set. Set it to a long random value in production "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), "
            "or set DJANGO_DEBUG=true on your own machine to use a generated key in var/secret_key."
        )

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost")
# The reverse proxy in front of the portal (deploy/nginx/), by address: requests from it carry the client's
# address in X-Real-IP and the scheme in X-Forwarded-Proto, which nginx overwrites. Empty: no proxy, and
# neither header is believed.
VRU_TRUSTED_PROXY_ADDRESSES = env_list("VRU_TRUSTED_PROXY_ADDRESSES", "")
if VRU_TRUSTED_PROXY_ADDRESSES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "govuk_frontend_django",
    "crispy_forms",
    "crispy_forms_gds",
    "portal.core",
    "portal.accounts",
    "portal.resources",
    "portal.signposting",
    "portal.feedback",
    "portal.dashboards",
    "portal.strategy",
    "portal.insights",
    "portal.publication",
    "portal.places",
    "portal.partners",
    "portal.directory",
    "portal.consultations",
    "portal.gaps",
]

MIDDLEWARE = [
    # First: everything below sees the client's address, not the proxy's.
    "portal.core.middleware.TrustedProxyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Above WhiteNoise, so static files get the frame and content policies too, and so does the 400 for a
    # Host not in ALLOWED_HOSTS (raised further in, it passes back out through these).
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Multipart, oversized and unsized bodies, and NUL characters, refused before anything reads them.
    "portal.core.middleware.RequestLimitsMiddleware",
    # As high as WhiteNoise asks (only header-setting middleware above): static files skip everything below.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Tells the audit trail who changed a role or permission (portal.accounts.role_audit).
    "portal.accounts.role_audit.AuditActorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Last, as django-axes requires: it turns a lockout flagged during authentication into a response.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

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
                "portal.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------------------
# SQLite needs no server (the one-command demo); production and CI use PostgreSQL via psycopg 3.
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{VAR_DIR / 'portal.sqlite3'}"),
        conn_max_age=60,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A relative SQLite path means relative to the repository root, whichever directory we run from.
    _sqlite_name = DATABASES["default"]["NAME"]
    if _sqlite_name and _sqlite_name != ":memory:" and not Path(_sqlite_name).is_absolute():
        DATABASES["default"]["NAME"] = str(BASE_DIR / _sqlite_name)
    Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication and login lockout (django-axes) -----------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # Django's ModelBackend, reading the permissions in one query (portal.accounts.backends).
    "portal.accounts.backends.PermissionsInOneQueryBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=env_int("DJANGO_AXES_COOLOFF_MINUTES", 30))
# Lock a username from one address: locking the username everywhere would let anyone lock staff out.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# The staff area (portal.accounts): where staff pages send people who are not signed in, where signing in
# leads, the lockout page in the site layout (how long to wait, never whether the username exists), and a
# CSRF failure page in the layout (Django's own has inline styles, which the CSP blocks).
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "accounts:staff_index"
AXES_LOCKOUT_CALLABLE = "portal.accounts.views.locked_out"
CSRF_FAILURE_VIEW = "portal.core.views.csrf_failure"

# --- Security headers and cookies ------------------------------------------------------------------------
# The largest request body accepted (bytes): the longest form, a page's text, is well under it. Bigger
# bodies are refused before they are read (portal.core.middleware); Django checks the same number as it reads.
VRU_MAX_REQUEST_BODY_BYTES = env_int("VRU_MAX_REQUEST_BODY_BYTES", 512 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = VRU_MAX_REQUEST_BODY_BYTES
# No form takes files: the one upload handler refuses any file part, so nothing is ever spooled to disk;
# except a partner's data file on the partner data page, kept in memory up to this size (bytes).
VRU_MAX_PARTNER_UPLOAD_BYTES = env_int("VRU_MAX_PARTNER_UPLOAD_BYTES", 5 * 1024 * 1024)
FILE_UPLOAD_HANDLERS = ["portal.core.middleware.RefuseFileUploads"]
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 0)
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
# Over plain HTTP on your own machine (DEBUG) the browser would drop Secure cookies, so only there are
# they allowed without HTTPS.
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# Sessions in the database, read with one plain query (portal/accounts/sessions.py: every staff page reads one).
SESSION_ENGINE = "portal.accounts.sessions"
# Messages are kept in the session, so the portal sets no cookie beyond the session and CSRF ones.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# Strict Content Security Policy: every script and stylesheet is a file served from our own origin,
# so no 'unsafe-inline' and no nonces are needed (the GOV.UK Frontend start-up code is a static file).
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
    },
}

# --- Internationalisation ----------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

# --- Static files ----------------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "staticfiles"
STATICFILES_FINDERS = [
    "django.contrib.staticfiles.finders.FileSystemFinder",
    "django.contrib.staticfiles.finders.AppDirectoriesFinder",
    "portal.core.finders.VendorFileFinder",
]
# Single files from node_modules, served under these static paths by portal.core.finders.VendorFileFinder
# (STATICFILES_DIRS can only name whole directories, and govuk-frontend's holds Sass sources, the GDS
# Transport fonts and GOV.UK crown images, none of which a council site may serve).
PORTAL_VENDOR_STATIC_FILES = {
    "govuk-frontend/govuk-frontend.min.js": NODE_MODULES / "govuk-frontend/dist/govuk/govuk-frontend.min.js",
    # The script names its source map; collectstatic's hashing needs the map to exist.
    "govuk-frontend/govuk-frontend.min.js.map": NODE_MODULES / "govuk-frontend/dist/govuk/govuk-frontend.min.js.map",
}
# On your own machine and in tests, files are served straight from the finders (no collectstatic);
# in production from STATIC_ROOT with hashed, compressed copies made by `manage.py collectstatic`.
WHITENOISE_USE_FINDERS = DEBUG or RUNNING_TESTS
WHITENOISE_AUTOREFRESH = DEBUG
if WHITENOISE_USE_FINDERS:
    # WhiteNoise warns on every start when STATIC_ROOT is missing, as it is before any collectstatic.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or RUNNING_TESTS
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Forms -----------------------------------------------------------------------------------------------
CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

# --- Logging ---------------------------------------------------------------------------------------------
# Django logs to the console only when DEBUG is on; in production errors must still reach stderr.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("DJANGO_LOG_LEVEL", "INFO").upper()},
    # Replaces Django's own "django" logger setup, which would print each line twice when DEBUG is on.
    "loggers": {
        "django": {"handlers": [], "propagate": True},
        # django-axes logs a banner on every start at INFO; failed logins and lockouts are WARNING.
        "axes": {"level": "WARNING"},
    },
}

# --- The unit running this portal --------------------------------------------------------------------------
VRU_SITE_NAME = env_str("VRU_SITE_NAME", "Bath & North East Somerset Violence Reduction Unit")
VRU_CONTACT_EMAIL = env_str("VRU_CONTACT_EMAIL", "VRU_Project@bathnes.gov.uk")
# ONS code of the area the home page reports on (E06000022 is Bath and North East Somerset).
VRU_AREA_CODE = env_str("VRU_AREA_CODE", "E06000022")
# A resource or contact whose page staff last checked longer ago than this is flagged "review due".
VRU_REVIEW_AFTER_DAYS = env_int("VRU_REVIEW_AFTER_DAYS", 180)

# --- The needs assessment's ward and neighbourhood profiles (portal.places) ---------------------------------
# How often the unit updates the assessment: the profiles give the next update as this many months after the
# current version was approved.
VRU_ASSESSMENT_UPDATE_MONTHS = env_int("VRU_ASSESSMENT_UPDATE_MONTHS", 3)

# --- Requests for a partner account (portal.accounts) ------------------------------------------------------
# Days a request is kept after it is decided (or, if nobody decides, after it arrived): `manage.py
# purge_account_requests` deletes older ones, and the form and the privacy notice quote this period.
ACCOUNT_REQUEST_RETENTION_DAYS = env_int("VRU_ACCOUNT_REQUEST_RETENTION_DAYS", 90)

# --- Partner data uploads (portal.partners) ---------------------------------------------------------------
# Days an uploaded partner file (its validated rows, or its list of problems) is kept after it was uploaded:
# `manage.py purge_partner_uploads` deletes older ones, and the upload page and the privacy notice quote this
# period. Two years: the needs assessment compares the latest year with the year before it, and a partner
# sends a month again whole to correct it.
PARTNER_UPLOAD_RETENTION_DAYS = env_int("VRU_PARTNER_UPLOAD_RETENTION_DAYS", 730)

# --- Feedback form (portal.feedback) and its email notice ------------------------------------------------
# How long feedback messages are kept: `manage.py purge_feedback` deletes older ones, and the feedback form
# and the privacy notice quote this period.
FEEDBACK_RETENTION_DAYS = env_int("VRU_FEEDBACK_RETENTION_DAYS", 365)
# Accepted submissions per client address in a window of seconds (counted in Django's cache, per process).
FEEDBACK_RATE_LIMIT = 5
FEEDBACK_RATE_WINDOW_SECONDS = 600
# Address told that a message arrived (the notice holds a link to the staff inbox, never the message or
# who sent it); empty sends nothing.
VRU_FEEDBACK_NOTIFY_EMAIL = env_str("VRU_FEEDBACK_NOTIFY_EMAIL", "")
# On your own machine notices are printed to the console; otherwise sent through an SMTP relay.
EMAIL_BACKEND = (
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = env_str("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("DJANGO_EMAIL_PORT", 25)
DEFAULT_FROM_EMAIL = env_str("DJANGO_DEFAULT_FROM_EMAIL", "webmaster@localhost")
