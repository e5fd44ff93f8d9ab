"""Django settings, read from environment variables (see README, "Configuration reference")."""

import ipaddress
import secrets
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from stadtdigital.core.csp import origin_of
from stadtdigital.core.object_storage import media_storages, s3_location
from stadtdigital.env import env_bool, env_floats, env_int, env_list, env_mapping, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(env_str("DATA_DIR", str(Path.cwd() / "data"))).resolve()
DEBUG = env_bool("DEBUG", False)
TESTING = env_bool("STADTDIGITAL_TESTING", False)


def _secret_key() -> str:
    """SECRET_KEY from the environment; a single-server install may let us keep one in DATA_DIR."""
    key = env_str("SECRET_KEY")
    if key:
        return key
    key_file = DATA_DIR / "secret_key"
    if key_file.exists():
        return key_file.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(64)
    key_file.touch(mode=0o600)
    key_file.write_text(key)
    return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
CSRF_FAILURE_VIEW = "stadtdigital.core.errors.csrf_failure"  # the site's German 403 page
SITE_URL = env_str("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "django_tasks",
    "django_tasks_db",
    # Staff accounts (decision 0019): login throttle, two-factor authentication, single sign-on.
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "mozilla_django_oidc",
    "stadtdigital.core",
    "stadtdigital.portfolio",
    "stadtdigital.reports",
    "stadtdigital.open311",
    "stadtdigital.opendata",
]

MIDDLEWARE = [
    # First: request latency by view for /metrics (core/metrics.py).
    "stadtdigital.core.metrics.RequestLatencyMiddleware",
    # X-Request-ID in and out, on every log line and the tasks the request queues (core/request_id.py).
    "stadtdigital.core.request_id.RequestIdMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Staff accounts (decision 0019). CSP sets only a header (cheap, fine on /open311/). The others do
    # nothing on requests without a session/user (e.g. Open311 when its requests skip those middlewares).
    "csp.middleware.CSPMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "stadtdigital.core.accounts.middleware.StaffSessionMiddleware",
    # Axes turns a locked-out login into the German lockout page; keep it last.
    "axes.middleware.AxesMiddleware",
    # No django_htmx HtmxMiddleware: no view reads request.htmx. A view that answers htmx requests
    # differently can check the HX-Request header, or add the middleware back (docs/decisions/0017).
    # Last, so that it sees the views' exceptions first: database or storage away -> 503, not 500.
    "stadtdigital.core.middleware.ServiceUnavailableMiddleware",
]

# Paths served through a lean middleware chain (core/handlers.py, decision 0025): API clients send no
# session cookie and no CSRF token and see no messages. Middleware that only browsers need is listed here,
# so new middleware of that kind is skipped for the API by adding it to this list.
API_PATH_PREFIXES = ["/open311/v2/"]
API_SKIPPED_MIDDLEWARE = [
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "stadtdigital.core.accounts.middleware.StaffSessionMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stadtdigital.urls"
WSGI_APPLICATION = "stadtdigital.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "stadtdigital.core.context_processors.site",
            ],
        },
    },
]

# Database: SQLite in DATA_DIR unless DATABASE_URL names another database.
DATABASE_URL = env_str("DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
    if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        # Queries compiled once per process (core.db.CompiledValues) become prepared statements after this
        # many runs; "off" for a connection pooler that cannot keep them (PgBouncer before 1.21 in
        # transaction mode).
        _prepare_off = env_str("DB_PREPARE_THRESHOLD", "5").strip().lower() == "off"
        DATABASES["default"].setdefault("OPTIONS", {})["prepare_threshold"] = (
            None if _prepare_off else env_int("DB_PREPARE_THRESHOLD", 5)
        )
else:
    # SQLite cannot create the file's directory; a fresh DATA_DIR (with SECRET_KEY from the environment)
    # would otherwise fail with "unable to open database file".
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": DATA_DIR / "stadtdigital.sqlite3",
            # Keep the connection between requests: opening one (file, WAL, PRAGMAs, functions) took a
            # large share of a single Open311 request (decision 0025).
            "CONN_MAX_AGE": env_int("DB_CONN_MAX_AGE", 60),
            "OPTIONS": {
                # WAL lets readers work while one writer writes; IMMEDIATE transactions take the write
                # lock up front, so concurrent writers queue (busy timeout) instead of failing mid-way.
                # cache_size: SQLite's default of 2 MB per connection made a 1000-row Open311 page and its
                # look-ups read most pages through the operating system at a million reports (2x slower).
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;"
                    "PRAGMA foreign_keys=ON;PRAGMA busy_timeout=20000;"
                    f"PRAGMA cache_size=-{env_int('SQLITE_CACHE_MB', 16) * 1024};"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "core:login"
LOGIN_REDIRECT_URL = "core:backoffice"
LOGOUT_REDIRECT_URL = "core:landing"

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(DATA_DIR / "media")))
# Media files (photos, raw uploads) on local disk, or in S3-compatible object storage when MEDIA_STORAGE_URL
# or AWS_STORAGE_BUCKET_NAME is set (decision 0018); keys from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY.
MEDIA_STORAGE_URL = env_str("MEDIA_STORAGE_URL")
MEDIA_PUBLIC_URLS = env_str("MEDIA_PUBLIC_URLS", "app")
MEDIA_SIGNED_URL_SECONDS = env_int("MEDIA_SIGNED_URL_SECONDS", 300)
MEDIA_S3_LOCATION = s3_location(
    MEDIA_STORAGE_URL,
    bucket=env_str("AWS_STORAGE_BUCKET_NAME"),
    endpoint=env_str("AWS_S3_ENDPOINT_URL"),
    region=env_str("AWS_S3_REGION_NAME"),
)
STORAGES = {
    **media_storages(MEDIA_S3_LOCATION, MEDIA_PUBLIC_URLS, MEDIA_SIGNED_URL_SECONDS),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = DEBUG or TESTING
# Leaflet comes from the XStatic-Leaflet package, served as static "vendor/leaflet/..." (no CDN): a
# prefixed STATICFILES_DIRS entry, found by Django's FileSystemFinder (runserver, WhiteNoise, collectstatic).
STATICFILES_DIRS = [("vendor/leaflet", xstatic.pkg.leaflet.BASE_DIR)]

# HTTPS: on by default outside DEBUG; `stadtdigital demo` turns it off for http://127.0.0.1.
HTTPS_ONLY = env_bool("HTTPS_ONLY", not DEBUG)
SECURE_SSL_REDIRECT = HTTPS_ONLY
SESSION_COOKIE_SECURE = HTTPS_ONLY
CSRF_COOKIE_SECURE = HTTPS_ONLY
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000 if HTTPS_ONLY else 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS_ONLY
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Behind the city's reverse proxy: trust its X-Forwarded-Proto and the address it appends to X-Forwarded-For.
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
# HSTS preload is an opt-in a city makes deliberately (it is hard to undo), so its reminder is silenced
# unless SECURE_HSTS_PRELOAD is on; `check --deploy` is then clean with DEBUG off and a secret key set.
SILENCED_SYSTEM_CHECKS = env_list("SILENCED_SYSTEM_CHECKS", [] if SECURE_HSTS_PRELOAD else ["security.W021"])

# Email
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_FILE_PATH = env_str("EMAIL_FILE_PATH", str(DATA_DIR / "outbox"))  # for the file-based backend
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 20)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "stadtdigital <noreply@localhost>")
SERVER_EMAIL = env_str("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Background work: Django's tasks API, stored in the database, run by `stadtdigital worker`.
TASKS = {
    "default": {
        "BACKEND": env_str("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}
# Crash recovery of `stadtdigital worker` (core/watchdog.py): heartbeat interval; a task whose worker has been
# silent this long is queued again; after this many claims it is given up (FAILED); the longest wait between
# attempts to reach a database that is away.
# Retry-After of the 503 answer when the database or the file storage is away.
SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS = env_int("SERVICE_UNAVAILABLE_RETRY_AFTER_SECONDS", 30)
TASK_HEARTBEAT_SECONDS = env_int("TASK_HEARTBEAT_SECONDS", 10)
TASK_WORKER_TIMEOUT_SECONDS = env_int("TASK_WORKER_TIMEOUT_SECONDS", 60)
TASK_MAX_ATTEMPTS = env_int("TASK_MAX_ATTEMPTS", 5)
TASK_DATABASE_RETRY_MAX_SECONDS = env_int("TASK_DATABASE_RETRY_MAX_SECONDS", 30)

# How long a reverse proxy or CDN may serve public responses that are the same for everyone (Open311, the
# map's data, feeds, open data) without asking again; they carry ETag/Last-Modified (core/caching.py).
PUBLIC_CACHE_MAX_AGE = env_int("PUBLIC_CACHE_MAX_AGE", 60)

# /metrics and /healthz?deep=1 (core/monitoring.py): client addresses (CIDRs) allowed without a token, and the
# bearer token for everyone else (empty: no token works). The deep health check fails when the oldest due
# task has waited longer than this.
METRICS_ALLOWED_ADDRESSES = env_list("METRICS_ALLOWED_ADDRESSES", [])
METRICS_TOKEN = env_str("METRICS_TOKEN", "")
HEALTHZ_MAX_QUEUE_LAG_SECONDS = env_int("HEALTHZ_MAX_QUEUE_LAG_SECONDS", 300)
for _network in METRICS_ALLOWED_ADDRESSES:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"METRICS_ALLOWED_ADDRESSES: {_network!r} is not an IP address or network (e.g. 10.0.0.0/8)"
        ) from None

# The city: shown on pages and in the report; used for open data metadata.
CITY_NAME = env_str("CITY_NAME", "Musterstadt")
CITY_PUBLISHER = env_str("CITY_PUBLISHER", f"Stadt {CITY_NAME}")

# Accessibility statement (BITV 2.0 § 7) at /barrierefreiheit/; the text of "what is not yet accessible"
# is the template core/accessibility/_known_issues.html, which a city overrides with its own findings.
# Conformance: "full", "partial" or "none". Date: ISO date of the statement (default: the date of the
# software's own review, core.accessibility.SOFTWARE_REVIEW_DATE).
ACCESSIBILITY_CONFORMANCE = env_str("ACCESSIBILITY_CONFORMANCE", "partial")
ACCESSIBILITY_STATEMENT_DATE = env_str("ACCESSIBILITY_STATEMENT_DATE", "")
ACCESSIBILITY_CONTACT_EMAIL = env_str("ACCESSIBILITY_CONTACT_EMAIL", "")  # feedback is mailed here
ACCESSIBILITY_CONTACT_PHONE = env_str("ACCESSIBILITY_CONTACT_PHONE", "")
ACCESSIBILITY_ENFORCEMENT_BODY_NAME = env_str(
    "ACCESSIBILITY_ENFORCEMENT_BODY_NAME",
    "Schlichtungsstelle nach dem Behindertengleichstellungsgesetz (BGG)",
)
ACCESSIBILITY_ENFORCEMENT_BODY_URL = env_str(
    "ACCESSIBILITY_ENFORCEMENT_BODY_URL", "https://www.schlichtungsstelle-bgg.de"
)
# Feedback messages per IP address and hour.
ACCESSIBILITY_FEEDBACK_RATE_LIMIT_PER_HOUR = env_int("ACCESSIBILITY_FEEDBACK_RATE_LIMIT_PER_HOUR", 10)
# Days after the answer (unanswered: after receipt) until a feedback's name and email are deleted.
ACCESSIBILITY_FEEDBACK_RETENTION_DAYS = env_int("ACCESSIBILITY_FEEDBACK_RETENTION_DAYS", 180)
# Leichte Sprache page: address of a video in German Sign Language (DGS); empty = no video slot.
SIGN_LANGUAGE_VIDEO_URL = env_str("SIGN_LANGUAGE_VIDEO_URL", "")

# Mängelmelder (reports)
# Map tiles: any XYZ tile server the city runs or licenses; empty = no background map (the pin and the list
# still work; pages never depend on a CDN).
MAP_TILES_URL = env_str("MAP_TILES_URL", "")
MAP_ATTRIBUTION = env_str("MAP_ATTRIBUTION", "")
# The city area: "south,west,north,east" (WGS84); reports outside are rejected. Default: the demo city.
CITY_BOUNDS = env_floats("CITY_BOUNDS", [49.10, 9.13, 49.19, 9.28], 4)
MAP_CENTER = env_floats("MAP_CENTER", [49.142, 9.21], 2)
MAP_DEFAULT_ZOOM = env_int("MAP_DEFAULT_ZOOM", 13)
# Street list for locating a report without the map: a CSV file "name;lat;lon" (one street, landmark or
# address per row). Default: the synthetic demo city's list shipped with the package.
STREET_LIST_PATH = env_str("STREET_LIST_PATH", str(PACKAGE_DIR / "reports" / "data" / "demo_streets.csv"))
GEOCODER_BACKEND = env_str("GEOCODER_BACKEND", "stadtdigital.reports.geocoding.StreetListGeocoder")
# Anonymous submissions per IP address and hour (web form and API without a key's own limit).
REPORT_RATE_LIMIT_PER_HOUR = env_int("REPORT_RATE_LIMIT_PER_HOUR", 10)
# Days after closing a report until the reporter's name, email and phone are deleted.
PERSONAL_DATA_RETENTION_DAYS = env_int("PERSONAL_DATA_RETENTION_DAYS", 90)
REPORT_CONFIRMATION_DAYS = env_int("REPORT_CONFIRMATION_DAYS", 7)
# Category suggestions (decision 0027): categories with fewer training reports get no suggestions; a
# suggestion is shown only at this probability or above (citizens: up to three; staff: the first one).
ASSIST_MIN_REPORTS_PER_CATEGORY = env_int("ASSIST_MIN_REPORTS_PER_CATEGORY", 30)
ASSIST_MIN_CONFIDENCE = env_floats("ASSIST_MIN_CONFIDENCE", [0.3], 1)[0]
ASSIST_STAFF_MIN_CONFIDENCE = env_floats("ASSIST_STAFF_MIN_CONFIDENCE", [0.5], 1)[0]
# Likely duplicates: pairs at or above this score (0-1) are shown to staff.
ASSIST_DUPLICATE_MIN_SCORE = env_floats("ASSIST_DUPLICATE_MIN_SCORE", [0.6], 1)[0]
REPORT_MAX_PHOTOS = env_int("REPORT_MAX_PHOTOS", 5)
REPORT_MAX_PHOTO_BYTES = env_int("REPORT_MAX_PHOTO_BYTES", 15 * 1024 * 1024)
REPORT_MAX_PHOTO_PIXELS = env_int("REPORT_MAX_PHOTO_PIXELS", 40_000_000)
# A GeoJSON file drawn as the map's background when no tile server is set (the demo city's streets).
MAP_FALLBACK_GEOJSON = env_str(
    "MAP_FALLBACK_GEOJSON",
    "" if MAP_TILES_URL else str(PACKAGE_DIR / "reports" / "data" / "demo_basemap.geojson"),
)
# Days the "Ist das Problem behoben?" links in a closing email stay valid.
REPORT_FEEDBACK_DAYS = env_int("REPORT_FEEDBACK_DAYS", 30)
# "nicht zuständig": how a report is passed to the responsible body. RecordOnlyBackend only records it;
# EmailBackend mails it (without personal data) to REPORT_FORWARDING_EMAILS ("Body=address;Other=address")
# or, for bodies not listed there, to REPORT_FORWARDING_EMAIL.
REPORT_FORWARDING_BACKEND = env_str(
    "REPORT_FORWARDING_BACKEND", "stadtdigital.reports.forwarding.RecordOnlyBackend"
)
REPORT_FORWARDING_EMAIL = env_str("REPORT_FORWARDING_EMAIL", "")
REPORT_FORWARDING_EMAILS = env_mapping("REPORT_FORWARDING_EMAILS")
# Sending reports to the body that fixes them (reports/sending/, decision 0023).
# Seconds between the attempts of one sending; after the last, it is "failed" (Versand fehlgeschlagen).
SENDING_RETRY_DELAYS = env_floats("SENDING_RETRY_DELAYS", [60, 300, 1800, 7200, 21600], None)
SENDING_TIMEOUT_SECONDS = env_int("SENDING_TIMEOUT_SECONDS", 20)  # per HTTP request or SMTP connection
SENDING_POLL_MINUTES = env_int("SENDING_POLL_MINUTES", 15)  # status back from Open311 targets
# Photos attached to the email method's mail up to this total size; the rest are sent as links.
SENDING_EMAIL_ATTACHMENT_BYTES = env_int("SENDING_EMAIL_ATTACHMENT_BYTES", 10 * 1024 * 1024)
# Reply address of the email method's mail, "{id}" is the report number (e.g. anliegen+{id}@stadt.example).
SENDING_REPLY_TO = env_str("SENDING_REPLY_TO", "")
# The portfolio project whose page and report show the Mängelmelder's live figures.
REPORTS_PORTFOLIO_PROJECT_SLUG = env_str(
    "REPORTS_PORTFOLIO_PROJECT_SLUG", "reallabor-anliegenmanagement-online-maengelmelder"
)
# Open311 GeoReport v2
# With more than one jurisdiction, clients must send jurisdiction_id.
OPEN311_JURISDICTIONS = env_list("OPEN311_JURISDICTIONS", [])
OPEN311_KEY_RATE_LIMIT_PER_HOUR = env_int("OPEN311_KEY_RATE_LIMIT_PER_HOUR", 1000)  # default for new keys
OPEN311_CONTACT = env_str("OPEN311_CONTACT", "")  # discovery's contact; default: publisher and site address
OPEN311_KEY_SERVICE = env_str("OPEN311_KEY_SERVICE", "")  # discovery's key_service; default: the docs page
# Open data (DCAT-AP.de catalogue at /opendata/catalog.ttl|jsonld|rdf). Defaults describe the demo city.
# Amtlicher Gemeindeschlüssel (8 digits) of the city: the datasets' political geocoding.
OPENDATA_MUNICIPALITY_KEY = env_str("OPENDATA_MUNICIPALITY_KEY", "08121000")
OPENDATA_PUBLISHER_NAME = env_str("OPENDATA_PUBLISHER_NAME", CITY_PUBLISHER)
OPENDATA_PUBLISHER_URL = env_str("OPENDATA_PUBLISHER_URL", "")  # the city's web site; default: SITE_URL
OPENDATA_CONTACT_NAME = env_str("OPENDATA_CONTACT_NAME", "")  # default: "Offene Daten, <publisher>"
OPENDATA_CONTACT_EMAIL = env_str("OPENDATA_CONTACT_EMAIL", "")  # default: the address of DEFAULT_FROM_EMAIL
OPENDATA_CONTACT_URL = env_str("OPENDATA_CONTACT_URL", "")  # default: the /opendata/ page
# Licence of every distribution, a URI of the DCAT-AP.de licence vocabulary.
OPENDATA_LICENSE = env_str("OPENDATA_LICENSE", "http://dcat-ap.de/def/licenses/dl-by-de/2.0")
# dcatde:contributorID: the city's entry in http://dcat-ap.de/def/contributors/ (as used by GovData).
OPENDATA_CONTRIBUTOR_ID = env_str("OPENDATA_CONTRIBUTOR_ID", "")
# The daily job stores the reports' CSV and GeoJSON rendered per block of ids, and whole downloads copy the
# blocks nothing has changed since (decision 0029); about 0.2 KB of database per report.
OPENDATA_RENDERED_BLOCKS = env_bool("OPENDATA_RENDERED_BLOCKS", True)
OPENDATA_CATALOG_TITLE = env_str("OPENDATA_CATALOG_TITLE", "")  # default: "Offene Daten <city>"
OPENDATA_CATALOG_TITLE_EN = env_str("OPENDATA_CATALOG_TITLE_EN", "")
# Portfolio import (CSV/XLSX): largest upload in the back office, rows read, and the unpacked size of an
# XLSX archive (bounds the memory a hostile file can take). See docs/production.md, "Limits".
PORTFOLIO_IMPORT_MAX_UPLOAD_MB = env_int("PORTFOLIO_IMPORT_MAX_UPLOAD_MB", 10)
PORTFOLIO_IMPORT_MAX_ROWS = env_int("PORTFOLIO_IMPORT_MAX_ROWS", 10_000)
PORTFOLIO_IMPORT_MAX_UNCOMPRESSED_MB = env_int("PORTFOLIO_IMPORT_MAX_UNCOMPRESSED_MB", 50)
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_MEMORY_SIZE", 5 * 1024 * 1024)
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# --- Staff accounts and Content-Security-Policy (decision 0019, docs/production.md "Sicherheit") ---------
# Login throttle (django-axes): after LOGIN_FAILURE_LIMIT wrong passwords for one account, or from one
# address, further attempts are refused for LOGIN_LOCKOUT_MINUTES (0 = until an administrator unlocks). The
# lockout check runs in the first authentication backend, before any password hash is computed.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 30)
AXES_COOLOFF_TIME = (LOGIN_LOCKOUT_MINUTES / 60) if LOGIN_LOCKOUT_MINUTES > 0 else None  # hours
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: per account and per address
AXES_CLIENT_IP_CALLABLE = "stadtdigital.core.accounts.security_log.axes_client_ip"  # BEHIND_PROXY
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token", "token"]

# Password reset links are valid this many seconds (Django's default: 3 days; a day is enough).
PASSWORD_RESET_TIMEOUT = env_int("PASSWORD_RESET_TIMEOUT", 24 * 60 * 60)

# Staff sessions end after this many seconds without a request (default 8 hours).
SESSION_IDLE_TIMEOUT = env_int("SESSION_IDLE_TIMEOUT", 8 * 60 * 60)

# Two-factor authentication (TOTP, django-otp): any staff member may enable it; members of these roles
# (group names, "superuser" for superusers) must set it up before anything else.
OTP_REQUIRED_ROLES = env_list("OTP_REQUIRED_ROLES", [])
OTP_TOTP_ISSUER = env_str("OTP_TOTP_ISSUER", f"stadtdigital {CITY_NAME}")
OTP_RECOVERY_CODES = 10

# Single sign-on with OpenID Connect (Keycloak, ADFS, Entra ID ...): on when OIDC_RP_CLIENT_ID is set.
OIDC_RP_CLIENT_ID = env_str("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_RP_CLIENT_SECRET = env_str("OIDC_RP_CLIENT_SECRET", "")
OIDC_RP_SIGN_ALGO = env_str("OIDC_RP_SIGN_ALGO", "RS256")
OIDC_RP_SCOPES = env_str("OIDC_RP_SCOPES", "openid email profile")
# The provider's endpoints, as its discovery document (…/.well-known/openid-configuration) names them.
OIDC_OP_AUTHORIZATION_ENDPOINT = env_str("OIDC_OP_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = env_str("OIDC_OP_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = env_str("OIDC_OP_USER_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = env_str("OIDC_OP_JWKS_ENDPOINT", "")
OIDC_USE_PKCE = True
OIDC_STORE_ID_TOKEN = False
OIDC_CREATE_USER = True
OIDC_USERNAME_CLAIM = env_str("OIDC_USERNAME_CLAIM", "preferred_username")
# Claims naming the user's groups; their values map to roles ("group=Rolle;other=Rolle") and departments
# ("group=slug;..."); a role or department no longer in the claim is removed at the next sign-in.
OIDC_ROLE_CLAIM = env_str("OIDC_ROLE_CLAIM", "groups")
OIDC_ROLE_MAP = env_mapping("OIDC_ROLE_MAP")
OIDC_SUPERUSER_GROUPS = env_list("OIDC_SUPERUSER_GROUPS", [])
OIDC_DEPARTMENT_CLAIM = env_str("OIDC_DEPARTMENT_CLAIM", "groups")
OIDC_DEPARTMENT_MAP = env_mapping("OIDC_DEPARTMENT_MAP")
OIDC_AUTHENTICATION_CALLBACK_URL = "core:oidc_callback"
LOGIN_REDIRECT_URL_FAILURE = "core:login"
if OIDC_ENABLED:
    AUTHENTICATION_BACKENDS.insert(1, "stadtdigital.core.accounts.oidc.StaffOIDCBackend")
# Username and password sign-in; with single sign-on a city may turn it off.
LOCAL_LOGIN_ENABLED = env_bool("LOCAL_LOGIN_ENABLED", True)

# Content-Security-Policy (django-csp) on every response: scripts, styles, images and connections only from
# this site; the map's tile server (MAP_TILES_URL) is the one other origin, for images only. Templates never
# carry inline <script>, style="" or on…="" attributes (see decision 0019).
CSP_REPORT_ONLY = env_bool("CSP_REPORT_ONLY", False)
_TILE_ORIGINS = origin_of(MAP_TILES_URL)
_OIDC_ORIGINS = origin_of(OIDC_OP_AUTHORIZATION_ENDPOINT)
_CSP = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, *_TILE_ORIGINS],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        # Chromium applies form-action to the redirects after a form, e.g. a login handing over to SSO.
        "form-action": [SELF, *_OIDC_ORIGINS],
        "frame-ancestors": [NONE],
    }
}
if CSP_REPORT_ONLY:
    CONTENT_SECURITY_POLICY_REPORT_ONLY = _CSP
else:
    CONTENT_SECURITY_POLICY = _CSP
# --- end of staff accounts and CSP ------------------------------------------------------------------------

LOG_LEVEL = env_str("LOG_LEVEL", "INFO")
LOG_FORMAT = env_str("LOG_FORMAT", "plain")  # "json": one JSON object per line, with the request id
if LOG_FORMAT not in ("plain", "json"):
    raise ImproperlyConfigured(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
        # One JSON object per line for the city's log collection (python-json-logger).
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    },
    "filters": {"request_id": {"()": "stadtdigital.core.request_id.RequestIdFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": LOG_FORMAT, "filters": ["request_id"]}
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "fontTools": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "matplotlib": {"level": "WARNING"},
        # Lockouts and unlocks, sign-ins by single sign-on, two-factor changes: for the security officer.
        "stadtdigital.security": {"level": "INFO"},
        "axes": {"level": "WARNING"},
    },
}

if not DEBUG and not TESTING and SECRET_KEY.startswith("django-insecure"):
    raise ImproperlyConfigured("SECRET_KEY must be set to a long random value in production")
