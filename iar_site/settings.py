"""Settings for IAR Casework, read from the environment in this one module.

DJANGO_ENV says where the site runs: `production` (the default) or `development`. In production
every variable that matters must be set (DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, SITE_URL, the
proxy settings) and debug cannot be on, so a forgotten variable stops the start instead of running
with a development default. The Makefile and the test settings set DJANGO_ENV=development, so
`make run` and `make test` need no environment: SQLite under var/, a Celery broker on the
filesystem under var/celery/, email written to files under var/mail/, debug on and a throwaway
secret key. DATABASE_URL switches to PostgreSQL and REDIS_URL to Redis (broker, results and
cache). A bad value stops the start with an ImproperlyConfigured message naming the variable;
nothing is written to disk here.
"""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
from pathlib import Path
from urllib.parse import unquote, urlsplit

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()


def _bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false (1/0, yes/no, on/off), not {raw!r}.")


def _int(name: str, default: int, *, minimum: int = 0) -> int:
    raw = env.str(name, default="")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value


def _url(name: str, default: str, schemes: set[str]) -> str:
    value = env.str(name, default="") or default
    if value and urlsplit(value).scheme not in schemes:
        allowed = ", ".join(sorted(schemes))
        raise ImproperlyConfigured(f"{name} must be a URL starting with one of: {allowed}.")
    return value


DJANGO_ENV = env.str("DJANGO_ENV", default="production").strip().lower()
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV must be development or production, not {DJANGO_ENV!r}.")
DEVELOPMENT = DJANGO_ENV == "development"
_IN_DEVELOPMENT = "On a development machine set DJANGO_ENV=development (make run and make test do)."

DEBUG = _bool("DJANGO_DEBUG", DEVELOPMENT)
if DEBUG and not DEVELOPMENT:
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is on but DJANGO_ENV is production: debug pages show settings and code to "
        f"anyone. Set DJANGO_DEBUG=false. {_IN_DEVELOPMENT}"
    )

SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEVELOPMENT:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set in production: at least 50 random characters. "
            + _IN_DEVELOPMENT
        )
    # A new key at every start: nothing signed with it outlives the process (logins included).
    SECRET_KEY = secrets.token_urlsafe(50)
elif not DEVELOPMENT and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("DJANGO_SECRET_KEY must be at least 50 characters long.")


def _required_in_production(name: str) -> None:
    if not DEVELOPMENT and not env.str(name, default=""):
        raise ImproperlyConfigured(f"{name} must be set in production. {_IN_DEVELOPMENT}")


def _field_encryption_keys() -> list[str]:
    """FIELD_ENCRYPTION_KEYS: comma-separated Fernet keys, newest first (the first seals, all
    open; see docs/security.md). Unset in production it stays empty and a system check
    (iar_site.checks) fails the deploy check; unset in development one key is derived, from
    DJANGO_SECRET_KEY when given, otherwise from a fixed label: the development secret key is new
    at every start, and data sealed by one run must open in the next."""
    keys = [k.strip() for k in env.str("FIELD_ENCRYPTION_KEYS", default="").split(",")]
    keys = [k for k in keys if k]
    for key in keys:
        try:
            valid = len(base64.urlsafe_b64decode(key.encode("ascii"))) == 32
        except (ValueError, UnicodeError):
            valid = False
        if not valid:
            # Never echo the value: it is a secret.
            raise ImproperlyConfigured(
                "FIELD_ENCRYPTION_KEYS must be Fernet keys (32 bytes, url-safe base64), "
                'separated by commas. Make one with: python -c "from cryptography.fernet '
                'import Fernet; print(Fernet.generate_key().decode())"'
            )
    if keys or not DEVELOPMENT:
        return keys
    seed = env.str("DJANGO_SECRET_KEY", default="") or "development"
    digest = hashlib.sha256(b"iar-casework field encryption\0" + seed.encode()).digest()
    return [base64.urlsafe_b64encode(digest).decode("ascii")]


FIELD_ENCRYPTION_KEYS = _field_encryption_keys()

_required_in_production("DJANGO_ALLOWED_HOSTS")
_required_in_production("SITE_URL")
ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"]
)
SITE_URL = _url("SITE_URL", "http://127.0.0.1:8000", {"http", "https"}).rstrip("/")
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[SITE_URL])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_filters",
    "django_tables2",
    "django_htmx",
    "iar_site",
    "accounts",
    "notifications",
    "cases",
    "groups",
    "coordinators",
    "conversations",
    "actions",
    "reporting",
    "privacy",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "iar_site.middleware.PermissionsPolicyMiddleware",
    "iar_site.middleware.RejectNulMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "accounts.middleware.PrivateResponsesMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.sessions.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "accounts.middleware.RequireMFAMiddleware",
]

# Two indexes of Case carry extra columns for index-only reads on PostgreSQL (cases migration
# 0015); SQLite, the development default, builds them without those columns, which is harmless.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

ROOT_URLCONF = "iar_site.urls"
WSGI_APPLICATION = "iar_site.wsgi.application"
FORM_RENDERER = "iar_site.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "accounts.context_processors.roles_context",
                "accounts.sessions.session_timing",
            ],
        },
    }
]

# Database: SQLite under var/ with no environment; PostgreSQL (psycopg 3) from DATABASE_URL.
DATABASE_URL = _url(
    "DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}", {"sqlite", "postgres", "postgresql"}
)
DATABASES = {"default": env.db_url_config(DATABASE_URL)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("CONN_MAX_AGE", _int("DATABASE_CONN_MAX_AGE", 60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
    # PostgreSQL's JIT compiles any query its planner thinks costly, and the compiling took
    # 359 of 383 ms of the staff case list's query on the scale data (EXPLAIN ANALYZE, see
    # docs/benchmarks.md): the app's queries are short reads, where it only adds time.
    DATABASES["default"]["OPTIONS"]["options"] = "-c jit=off"
else:
    # Several processes (web, worker, scheduler) share the file: wait for locks, not fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20, "transaction_mode": "IMMEDIATE"}
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis for broker, results and cache when REDIS_URL is set; otherwise nothing needs a server.
REDIS_URL = _url("REDIS_URL", "", {"redis", "rediss"})
CELERY_RESULT_BACKEND: str | None
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "iar",
        }
    }
    # Sessions read from Redis on every request and written through to the database, so a
    # Redis restart logs nobody out; a database read per request was a fifth of a bare page.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
    CELERY_BROKER_URL = REDIS_URL
    CELERY_RESULT_BACKEND = REDIS_URL
else:
    # A file cache is shared by the web, worker and scheduler processes, so login rate limits
    # hold across them; the directory is made on first use, not here.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(VAR_DIR / "celery" / "queue"),
        "data_folder_out": str(VAR_DIR / "celery" / "queue"),
        "processed_folder": str(VAR_DIR / "celery" / "processed"),
        "control_folder": str(VAR_DIR / "celery" / "control"),
        "store_processed": False,
    }
    CELERY_RESULT_BACKEND = None

# Reliability first: a task is acknowledged only when done, and requeued if its worker dies.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_TIME_LIMIT = 300
CELERY_TASK_SOFT_TIME_LIMIT = 240
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = _bool("CELERY_TASK_ALWAYS_EAGER", False)
if REDIS_URL:
    # Longer than any task may run, so an unacknowledged task is not redelivered while alive.
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600}
CELERY_TIMEZONE = "Europe/London"

# Email: files under var/mail/ with no environment, so a newcomer can read what was sent.
# EMAIL_URL: smtp://user:pass@host:25 (plain), smtp+tls://...:587 (STARTTLS), smtps://...:465 (TLS).
EMAIL_URL = _url("EMAIL_URL", "", {"smtp", "smtp+tls", "smtps", "console"})
if not EMAIL_URL:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
        }
    }
elif EMAIL_URL.startswith("console"):
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
else:
    _mail = urlsplit(EMAIL_URL)
    if not _mail.hostname:
        raise ImproperlyConfigured("EMAIL_URL must name a host, e.g. smtp+tls://user:pw@host:587.")
    try:
        _mail_port = _mail.port
    except ValueError:
        raise ImproperlyConfigured("EMAIL_URL has a port that is not a number.") from None
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _mail.hostname,
                "port": _mail_port or {"smtps": 465, "smtp+tls": 587}.get(_mail.scheme, 25),
                "username": unquote(_mail.username or ""),
                "password": unquote(_mail.password or ""),
                "use_tls": _mail.scheme == "smtp+tls",
                "use_ssl": _mail.scheme == "smtps",
                "timeout": 20,
            },
        }
    }
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="IAR Casework <iar@casework.example>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

# django-allauth: email login, login by emailed code, no open sign-up, MFA by TOTP.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
# Login limits count per visitor address. Failed logins: 20 in 5 minutes from one address, and
# 5 in 5 minutes for one account from one address (accounts.adapter adds the address to the key):
# wrong passwords slow down where they come from, never lock the person out everywhere.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "20/5m/ip,5/5m/key",
    "login": "30/m/ip",
    "request_login_code": "5/5m/ip,3/5m/key",
    "reset_password": "5/m/ip,3/5m/key",
}
# Behind the TLS proxy every request comes from the proxy's address, so the visitor's address must
# be read from what the proxy adds: ALLAUTH_TRUSTED_PROXY_COUNT proxies that each append to
# X-Forwarded-For, or one header the proxy sets itself (ALLAUTH_TRUSTED_CLIENT_IP_HEADER, which
# allauth then prefers). Otherwise one visitor's failed logins would lock out everyone.
ALLAUTH_TRUSTED_PROXY_COUNT = _int("ALLAUTH_TRUSTED_PROXY_COUNT", 0)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env.str("ALLAUTH_TRUSTED_CLIENT_IP_HEADER", default="") or None
if ALLAUTH_TRUSTED_CLIENT_IP_HEADER and not re.fullmatch(
    r"[A-Za-z0-9-]+", ALLAUTH_TRUSTED_CLIENT_IP_HEADER
):
    raise ImproperlyConfigured(
        "ALLAUTH_TRUSTED_CLIENT_IP_HEADER must be a header name such as X-Real-IP, not "
        f"{ALLAUTH_TRUSTED_CLIENT_IP_HEADER!r}."
    )
if not DEVELOPMENT and not (
    env.str("ALLAUTH_TRUSTED_PROXY_COUNT", default="") or ALLAUTH_TRUSTED_CLIENT_IP_HEADER
):
    raise ImproperlyConfigured(
        "ALLAUTH_TRUSTED_PROXY_COUNT must be set in production: the number of proxies in front "
        "of the site that append to X-Forwarded-For (1 behind one TLS proxy; 0 only when "
        "nothing is in front), or set ALLAUTH_TRUSTED_CLIENT_IP_HEADER. " + _IN_DEVELOPMENT
    )
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[IAR Casework] "
MFA_ADAPTER = "accounts.adapter.MFAAdapter"
# An authenticator app (TOTP) or a passkey (WebAuthn: the phone's fingerprint or face unlock, or
# a security key); recovery codes for a lost phone, shown once (downloadable then) and never again.
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_RECOVERY_CODES_SHOW_ONCE = True
# Browsers allow passkeys only on https, or on localhost in development.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEVELOPMENT
MFA_TOTP_ISSUER = "IAR Casework"
MFA_REQUIRED_FOR_STAFF = _bool("MFA_REQUIRED_FOR_STAFF", True)

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
# No URL serves MEDIA_ROOT: casefile documents go out only through views that check who may see them.
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
X_FRAME_OPTIONS = "DENY"
# Another site's window cannot keep a handle on ours (and so cannot read or steer it).
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Browser features the site never uses are switched off for it and anything it could embed;
# passkeys (WebAuthn) are allowed for the site itself only. Sent by
# iar_site.middleware.PermissionsPolicyMiddleware.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), display-capture=(), geolocation=(), gyroscope=(), "
    "magnetometer=(), microphone=(), midi=(), payment=(), usb=(), serial=(), "
    "publickey-credentials-create=(self), publickey-credentials-get=(self)"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = _int("SESSION_COOKIE_AGE", 60 * 60 * 12, minimum=300)
# Logins end after this long with nothing done (accounts/sessions.py): sooner for staff and
# coordinators, who see cases of people in danger; members often type long reports slowly.
SESSION_IDLE_MINUTES_STAFF = _int("SESSION_IDLE_MINUTES_STAFF", 30, minimum=5)
SESSION_IDLE_MINUTES_MEMBER = _int("SESSION_IDLE_MINUTES_MEMBER", 120, minimum=5)
# Staff and coordinators log in again after this long, however busy.
SESSION_MAX_HOURS_STAFF = _int("SESSION_MAX_HOURS_STAFF", 12, minimum=1)
if not DEBUG:
    SECURE_SSL_REDIRECT = _bool("DJANGO_SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = _int("DJANGO_HSTS_SECONDS", 60 * 60 * 24 * 365)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    # The __Host- prefix makes the browser refuse the cookie unless it is secure, for this exact
    # host and the whole site: a neighbouring subdomain cannot plant or overwrite it.
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"

# Programme rules that staff may tune without a code change.
REPORT_REMINDER_DAYS_BEFORE = _int("REPORT_REMINDER_DAYS_BEFORE", 30)
REPORT_OVERDUE_REPEAT_DAYS = _int("REPORT_OVERDUE_REPEAT_DAYS", 14, minimum=1)
REPORT_ESCALATE_COORDINATOR_DAYS = _int("REPORT_ESCALATE_COORDINATOR_DAYS", 30, minimum=1)
REPORT_ESCALATE_STAFF_DAYS = _int("REPORT_ESCALATE_STAFF_DAYS", 60, minimum=1)
# A message still "sending" after this long was most likely cut off: staff review it.
OUTBOX_REVIEW_AFTER_MINUTES = _int("OUTBOX_REVIEW_AFTER_MINUTES", 15, minimum=1)
# Largest attachment or casefile document accepted, in bytes.
CASEWORK_UPLOAD_MAX_BYTES = _int("CASEWORK_UPLOAD_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
# Retention (privacy.tasks.enforce_retention, daily): the log of who opened a confidential case,
# and the bodies of sent messages about a case the group no longer works on.
VIEW_LOG_RETENTION_DAYS = _int("VIEW_LOG_RETENTION_DAYS", 730, minimum=1)
MESSAGE_RETENTION_DAYS = _int("MESSAGE_RETENTION_DAYS", 365, minimum=1)
COORDINATOR_SILENCE_DAYS = _int("COORDINATOR_SILENCE_DAYS", 182, minimum=1)
# An offer the group has not answered ends after this many days (a reminder goes a week before),
# freeing the place for another group.
OFFER_EXPIRY_DAYS = _int("OFFER_EXPIRY_DAYS", 21, minimum=8)
# A group that has not confirmed it stopped work on a stopped case is reminded this often.
STOP_CONFIRMATION_REMINDER_DAYS = _int("STOP_CONFIRMATION_REMINDER_DAYS", 14, minimum=1)
# A group with no action recorded on an active case for this long is flagged to its coordinator.
GROUP_QUIET_DAYS = _int("GROUP_QUIET_DAYS", 182, minimum=1)
# Invitations one person may send in any hour (a stolen login cannot mail out hundreds).
INVITATIONS_PER_HOUR = _int("INVITATIONS_PER_HOUR", 20, minimum=1)
# A trivial view at /bench/trivial, the baseline of `make bench`; never on in production.
BENCHMARK_VIEWS = _bool("BENCHMARK_VIEWS", False)
HEARTBEAT_MAX_AGE_SECONDS = _int("HEARTBEAT_MAX_AGE_SECONDS", 180, minimum=10)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # WeasyPrint and fontTools narrate every PDF at INFO; only their problems matter here.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
