"""Settings for motcua, read from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path
from typing import Any

import dj_database_url

from lib.env import ConfigError, envbool, envint, envlist, envstr

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = envbool("DEBUG", False)
_INSECURE_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY = envstr("SECRET_KEY", _INSECURE_KEY)
REQUIRE_SECRET_KEY = envbool("REQUIRE_SECRET_KEY", False)
if SECRET_KEY == _INSECURE_KEY and REQUIRE_SECRET_KEY:
    raise ConfigError("SECRET_KEY must be set in production (REQUIRE_SECRET_KEY=true)")
# The audit chain's HMAC key, kept outside the database (ADR 9): AUDIT_KEY itself, or a file
# holding at least 32 bytes (`make_demo_pki` writes one for the demo). Required in production.
AUDIT_KEY = envstr("AUDIT_KEY", "")
AUDIT_KEY_FILE = envstr("AUDIT_KEY_FILE", str(BASE_DIR / "demo-pki" / "audit.key"))
if REQUIRE_SECRET_KEY and not AUDIT_KEY and not Path(AUDIT_KEY_FILE).is_file():
    raise ConfigError("AUDIT_KEY or AUDIT_KEY_FILE must be set in production (ADR 9)")
ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS", [])
SITE_NAME = envstr("SITE_NAME", "Hệ thống một cửa điện tử")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_htmx",
    # Swagger UI and ReDoc from the package's own static files, not a CDN.
    "ninja",
    "csp",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks",
    "django_tasks_db",
    *(["django_rq", "django_tasks_rq"] if envstr("TASKS_BACKEND", "db") == "rq" else []),
    "accounts",
    "uploads",
    "orgs",
    "workdays",
    "catalog",
    "dossiers",
    "documents",
    "stats",
    "surveys",
    "audit",
    "citizens",
    "filing",
    "payments",
    "notify",
    "fieldreports",
    "jobs",
    "api",
    "backoffice",
    "ioc",
    "portal",
    "demo",
    "ops",
    "hotline",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # Before anything reads a parameter: PostgreSQL refuses NUL bytes with a server error.
    "config.middleware.RefuseNulMiddleware",
    # The gateway's IPN skips the browser middleware below (ADR 19: the payments' hot path).
    "config.middleware.GatewayNoticeMiddleware",
    # Before CSRF reads a multipart form: an upload declared larger than its limit is refused
    # (413) before its body is read, and the others are read only up to the limit.
    "uploads.limits.UploadLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # django-otp marks the user verified once a code was accepted in this session; the next
    # one treats a session that still owes its code as signed out (backoffice.twofactor).
    "django_otp.middleware.OTPMiddleware",
    "backoffice.twofactor.TwoFactorMiddleware",
    # A citizen's session is anonymous on the staff side (/desk/, /ioc/, /admin/, /api/).
    "config.middleware.CitizensOffStaffPagesMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, as django-axes asks: it turns a locked-out sign-in into config.lockout's answer.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

LOCAL_TEMPLATES_DIR = envstr("LOCAL_TEMPLATES_DIR", "")
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # A province adjusts a paper by copying e.g. documents/templates/documents/form01.html
        # to $LOCAL_TEMPLATES_DIR/documents/form01.html and editing the copy.
        "DIRS": [
            *(
                [Path(envstr("LOCAL_TEMPLATES_DIR", ""))]
                if envstr("LOCAL_TEMPLATES_DIR", "")
                else []
            ),
            BASE_DIR / "templates",
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "backoffice.context.desk",
                "portal.context.portal",
            ],
        },
    },
]

# SQLite is the embedded default; production points DATABASE_URL at PostgreSQL.
DATABASES = {
    "default": dj_database_url.parse(
        envstr("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 600),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers proceed while one writer commits; IMMEDIATE takes the write lock at
    # BEGIN so two writers queue instead of failing half-way with "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not the shared-cache in-memory default: concurrency tests need SQLite's real
    # locking (busy timeout, IMMEDIATE transactions) across connections.
    # SQLITE_TEST_NAME lets two test runs share a checkout without sharing a database.
    DATABASES["default"]["TEST"] = {
        "NAME": envstr("SQLITE_TEST_NAME", str(BASE_DIR / ".test-db.sqlite3"))
    }
elif envstr("PG_TEST_NAME", ""):
    # The PostgreSQL twin of SQLITE_TEST_NAME: two checkouts testing against one server.
    DATABASES["default"]["TEST"] = {"NAME": envstr("PG_TEST_NAME", "")}

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = Path(envstr("MEDIA_ROOT", str(BASE_DIR / "media")))

LOGIN_URL = "/desk/login/"
LOGIN_REDIRECT_URL = "/desk/"
# Sign-in lockout on every door (desk, admin, API token) by django-axes: this many failures
# of one username from one client address lock that pair for the window. Counted in the
# database, so every app node counts together; another address is not locked out.
LOGIN_MAX_FAILURES = envint("LOGIN_MAX_FAILURES", 5)
LOGIN_LOCKOUT_MINUTES = envint("LOGIN_LOCKOUT_MINUTES", 15)
# Staff sign in with a username, citizens with a confirmed phone or email, or through OpenID
# Connect; no door admits the other kind of account (accounts.backends, ADR 14).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.StaffBackend",
    "accounts.backends.CitizenBackend",
    "citizens.oidc.CitizenOIDCBackend",
]
AXES_HANDLER = "axes.handlers.database.AxesDatabaseHandler"
AXES_FAILURE_LIMIT = LOGIN_MAX_FAILURES
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_CLIENT_IP_CALLABLE = "accounts.clientip.client_ip"
AXES_LOCKOUT_CALLABLE = "config.lockout.lockout_response"
# Successful sign-ins are not logged to a table (the audit trail records what matters).
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# Two-factor sign-in (django-otp, TOTP): a unit may require it of its leaders and
# administrators (Unit.require_two_factor). The issuer names this system in the authenticator
# app. Wrong codes are counted per user by accounts.twofactor (LOGIN_MAX_FAILURES within
# LOGIN_LOCKOUT_MINUTES, at every door), so django-otp's own exponential delay is off: it would
# refuse a right code typed within seconds of a wrong one as if it were wrong.
OTP_TOTP_ISSUER = SITE_NAME
OTP_TOTP_THROTTLE_FACTOR = 0

# Citizen accounts (README "Citizen accounts", ADR 14). Contact confirmation codes: minutes
# valid, wrong guesses allowed, codes sent to one contact per hour. Until notifications are
# delivered, CONFIRMATION_CODES_IN_LOG writes each code to the server log (the demo; never in
# production: `check --deploy` warns).
CODE_TTL_MINUTES = envint("CODE_TTL_MINUTES", 10)
CODE_MAX_ATTEMPTS = envint("CODE_MAX_ATTEMPTS", 5)
CODE_SENDS_PER_HOUR = envint("CODE_SENDS_PER_HOUR", 3)
CONFIRMATION_CODES_IN_LOG = envbool("CONFIRMATION_CODES_IN_LOG", DEBUG)
# OpenID Connect sign-in (VNeID / the national portal's single sign-on), on when a client id
# is set. Endpoints default to the issuer's URL + /authorize, /token, /userinfo, /jwks (the
# demo provider, demo/peers/oidc_provider.py); set each for a real provider. The national
# claim names are not public: they are settings.
OIDC_RP_CLIENT_ID = envstr("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = envstr("OIDC_CLIENT_SECRET", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)
OIDC_OP_ISSUER = envstr("OIDC_ISSUER", "http://127.0.0.1:8010")
OIDC_OP_AUTHORIZATION_ENDPOINT = envstr(
    "OIDC_AUTHORIZATION_ENDPOINT", OIDC_OP_ISSUER + "/authorize"
)
OIDC_OP_TOKEN_ENDPOINT = envstr("OIDC_TOKEN_ENDPOINT", OIDC_OP_ISSUER + "/token")
OIDC_OP_USER_ENDPOINT = envstr("OIDC_USERINFO_ENDPOINT", OIDC_OP_ISSUER + "/userinfo")
OIDC_OP_JWKS_ENDPOINT = envstr("OIDC_JWKS_ENDPOINT", OIDC_OP_ISSUER + "/jwks")
OIDC_RP_SCOPES = envstr("OIDC_SCOPES", "openid profile phone")
OIDC_RP_SIGN_ALGO = envstr("OIDC_SIGN_ALGO", "RS256")
OIDC_CLAIM_ID_NUMBER = envstr("OIDC_CLAIM_ID_NUMBER", "citizen_id")
OIDC_CLAIM_NAME = envstr("OIDC_CLAIM_NAME", "name")
OIDC_CLAIM_PHONE = envstr("OIDC_CLAIM_PHONE", "phone_number")
OIDC_CLOCK_SKEW_SECONDS = envint("OIDC_CLOCK_SKEW_SECONDS", 60)
# The sign-in button says the provider is the local demo one.
OIDC_DEMO_PROVIDER = envbool("OIDC_DEMO_PROVIDER", False)
OIDC_USE_PKCE = True
OIDC_USE_NONCE = True
OIDC_TIMEOUT = envint("OIDC_TIMEOUT", 10)
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_authentication_callback"
OIDC_REDIRECT_ALLOWED_HOSTS: list[str] = []
LOGIN_REDIRECT_URL_FAILURE = "/tai-khoan/dang-nhap/"

# Working-time rules (DOMAIN.md §3); per-unit office hours live on the unit.
CALENDAR_FIRST_YEAR = envint("CALENDAR_FIRST_YEAR", 2010)
CALENDAR_LAST_YEAR = envint("CALENDAR_LAST_YEAR", 2045)

# A supplement during appraisal pauses the clock; once the complete dossier arrives the whole
# limit is counted again from zero ("restart", Decree 118 art. 19.5, the default; ADR 21) or
# the remaining time continues ("resume", the national statistics' practice). DOMAIN.md §2.
SUPPLEMENT_PAUSE_MODE = envstr("SUPPLEMENT_PAUSE_MODE", "restart")
if SUPPLEMENT_PAUSE_MODE not in ("restart", "resume"):
    raise ConfigError(f"SUPPLEMENT_PAUSE_MODE={SUPPLEMENT_PAUSE_MODE!r} must be restart or resume")
# Civil Code day counting ("civil_code") or N x 8 working hours ("elapsed") for day limits.
DAY_LIMIT_RULE = envstr("DAY_LIMIT_RULE", "civil_code")
# The unit the periodic report counts a dossier in, every column alike (ADR 22): "competent"
# (the unit that decides; the default) or "receiving" (the desk that received it). After a
# change, run `manage.py rebuild_figures`. The tracking book always lists what a desk received.
FIGURES_UNIT = envstr("FIGURES_UNIT", "competent")
if FIGURES_UNIT not in ("competent", "receiving"):
    raise ConfigError(f"FIGURES_UNIT={FIGURES_UNIT!r} must be competent or receiving")
# Calendar days after a supplement request that, unanswered, close the dossier (Decree 118
# art. 19.5; the periodic task "close-unanswered"); 0 never closes.
SUPPLEMENT_CLOSE_DAYS = envint("SUPPLEMENT_CLOSE_DAYS", 15)
# A dossier transferred to another competent unit: its time limit continues ("continue",
# the default: the receipt's appointment stands) or restarts from the transfer ("restart").
TRANSFER_CLOCK = envstr("TRANSFER_CLOCK", "continue")
if TRANSFER_CLOCK not in ("continue", "restart"):
    raise ConfigError(f"TRANSFER_CLOCK={TRANSFER_CLOCK!r} must be continue or restart")
# The account scheduled tasks act as in the dossiers' events (created on first use; it
# cannot sign in).
SYSTEM_USERNAME = envstr("SYSTEM_USERNAME", "he-thong")
# Working hours the desk has to receive an online filing or ask for a supplement (Decree 118
# art. 17.2c); shown on each filing in the "to receive" inbox.
ONLINE_INTAKE_HOURS = envint("ONLINE_INTAKE_HOURS", 8)
# Working hours before the due instant when a dossier counts as "due soon".
DUE_SOON_HOURS = envint("DUE_SOON_HOURS", 8)
# The operations centre's wall (ADR 29): its tile providers, in order (a provider takes a
# lib.wall.WallScope and returns a lib.wall.Tile), the seconds between refreshes, and the
# on-time rate target (percent) the wall and the month-by-month chart compare against.
WALL_TILES = [
    "stats.wall.intake_tile",
    "stats.wall.resolved_tile",
    "stats.wall.at_risk_tile",
    "stats.wall.satisfaction_tile",
    "fieldreports.wall.field_reports_tile",
    "surveys.wall.survey_tile",
]
WALL_REFRESH_SECONDS = envint("WALL_REFRESH_SECONDS", 30)
ON_TIME_TARGET = envint("ON_TIME_TARGET", 95)
# Early warnings (dossiers/warnings.py, ADR 18): a step due within this many working hours
# warns its holders and the unit's leaders, once; an overdue step is escalated once. The
# leaders' daily digest goes out on working days from DIGEST_HOUR (local time).
WARN_DUE_WITHIN_HOURS = envint("WARN_DUE_WITHIN_HOURS", 8)
DIGEST_HOUR = envint("DIGEST_HOUR", 7)

# Address citizens reach the public pages at; printed in QR codes on the papers.
PUBLIC_BASE_URL = envstr("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# The public portal's header band: the province, the unit that runs the portal, and its emblem
# (a path under the static files; the default is a plain red disc with a yellow star).
PORTAL_PROVINCE_NAME = envstr("PORTAL_PROVINCE_NAME", "Tỉnh Đồng Tháp")
PORTAL_UNIT_NAME = envstr("PORTAL_UNIT_NAME", "Trung tâm Phục vụ hành chính công")
PORTAL_EMBLEM = envstr("PORTAL_EMBLEM", "portal/emblem.svg")
# Minutes a browser that gave a dossier's code and PIN may keep opening its status page and
# result without giving the PIN again (a grant in its session; ADR 13).
LOOKUP_GRANT_MINUTES = envint("LOOKUP_GRANT_MINUTES", 30)
# Numbering printed on the forms: "2025" (Circular 03/2025/TT-VPCP) or "2018" (01/2018, which
# some provinces still printed in December 2025).
FORM_NUMBERING = envstr("FORM_NUMBERING", "2025")
if FORM_NUMBERING not in ("2025", "2018"):
    raise ConfigError(f"FORM_NUMBERING={FORM_NUMBERING!r} must be 2025 or 2018")
FORM_NUMBERS = (
    {"01": "01", "02": "02", "03": "03", "04": "04", "05": "05", "06": "06", "07": "07"}
    if FORM_NUMBERING == "2025"
    else {"01": "01", "02": "02", "03": "03", "04": "04", "05": "—", "06": "05", "07": "06"}
)

# Signed electronic results (PAdES). SIGNING_PKCS12 holds an agency key and its certificate
# chain; a file <unit code>.p12 in SIGNING_PKCS12_DIR signs for that unit instead. /verify
# trusts the PEM certificates listed in SIGNING_TRUST_ROOTS. `manage.py make_demo_pki` writes a
# demo CA and one certificate per unit to these default places.
SIGNING_PKCS12 = envstr("SIGNING_PKCS12", str(BASE_DIR / "demo-pki" / "agency.p12"))
SIGNING_PKCS12_PASSWORD = envstr("SIGNING_PKCS12_PASSWORD", "")
SIGNING_PKCS12_DIR = envstr("SIGNING_PKCS12_DIR", str(BASE_DIR / "demo-pki" / "units"))
SIGNING_TRUST_ROOTS = envlist("SIGNING_TRUST_ROOTS", [str(BASE_DIR / "demo-pki" / "ca.pem")])

# The desk's dossier list exports at most this many rows to XLSX (a narrower filter beyond).
LIST_EXPORT_MAX_ROWS = envint("LIST_EXPORT_MAX_ROWS", 20000)
# Tracking books with more rows than this are rendered in the background with a progress bar.
BOOK_SYNC_MAX_ROWS = envint("BOOK_SYNC_MAX_ROWS", 2000)
# A book job whose worker has not written a heartbeat for this long is presumed dead; the
# periodic reaper queues it again (ADR 7).
BOOK_JOB_STALE_SECONDS = envint("BOOK_JOB_STALE_SECONDS", 60)
# Test hook of the scale-out test: a book job pauses after this many rows until the file
# BOOK_JOB_PAUSE_FILE exists (0 = never pause). Never set in production.
BOOK_JOB_PAUSE_AT_ROW = envint("BOOK_JOB_PAUSE_AT_ROW", 0)
BOOK_JOB_PAUSE_FILE = envstr("BOOK_JOB_PAUSE_FILE", "")

# Background work (large books, history imports, periodic jobs) runs on Django's tasks API
# (the django-tasks backport; ADR 7): "db" keeps the queue in the database (`manage.py
# db_worker`), "rq" in Redis for several app nodes (`manage.py rqworker`). `manage.py
# run_worker` starts the right one.
TASKS_BACKEND = envstr("TASKS_BACKEND", "db")
REDIS_URL = envstr("REDIS_URL", "redis://127.0.0.1:6379/0")
TASKS: dict[str, dict[str, Any]]
if TASKS_BACKEND == "db":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
elif TASKS_BACKEND == "rq":
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 3600}}
else:
    raise ConfigError(f"TASKS_BACKEND={TASKS_BACKEND!r} must be db or rq")
# Periodic tasks: name -> (task path, period in seconds). `manage.py run_periodic` queues each
# exactly once per period, however many of it run (ADR 7).
PERIODIC_TASKS = {
    "reap-book-jobs": ("documents.jobs.reap_book_jobs", envint("BOOK_REAPER_SECONDS", 60)),
    "payments-reconcile": (
        "payments.reconcile.reconcile_task",
        envint("PAYMENTS_RECONCILE_SECONDS", 300),
    ),
    "audit-checkpoint": (
        "audit.checkpoints.checkpoint_task",
        envint("AUDIT_CHECKPOINT_SECONDS", 3600),
    ),
    "warn-steps": ("dossiers.warnings.scan_task", envint("WARN_SCAN_SECONDS", 300)),
    "leader-digest": ("dossiers.warnings.digest_task", envint("DIGEST_CHECK_SECONDS", 3600)),
    "close-unanswered": (
        "dossiers.routing.close_unanswered_task",
        envint("CLOSE_UNANSWERED_SECONDS", 3600),
    ),
    "warn-field-reports": ("fieldreports.warnings.scan_task", envint("WARN_SCAN_SECONDS", 300)),
    "notify-sweep": ("notify.delivery.sweep_outbox", envint("NOTIFY_SWEEP_SECONDS", 60)),
}

# Notifications (the notify app, ADR 17). A temporary failure is retried with back-off from
# NOTIFY_RETRY_BASE_SECONDS (doubling, at most 30 min) until NOTIFY_RETRY_HOURS after the
# message was written, then it is a technical failure. A claimed message is its worker's for
# NOTIFY_LEASE_SECONDS; after that the sweep takes it back (the worker died).
NOTIFY_RETRY_HOURS = envint("NOTIFY_RETRY_HOURS", 4)
NOTIFY_RETRY_BASE_SECONDS = envint("NOTIFY_RETRY_BASE_SECONDS", 60)
NOTIFY_LEASE_SECONDS = envint("NOTIFY_LEASE_SECONDS", 120)
# Messages one worker claims and sends at a time (one UPDATE, one keep-alive connection).
NOTIFY_BATCH_SIZE = envint("NOTIFY_BATCH_SIZE", 100)
NOTIFY_HTTP_TIMEOUT = envint("NOTIFY_HTTP_TIMEOUT", 10)
# Channels the dossier messages are written for (sms, email, zalo; `app` always when the
# applicant has an account).
NOTIFY_CHANNELS = envlist("NOTIFY_CHANNELS", ["sms", "email"])
# Seconds between two refreshes of the desk's bell.
NOTIFY_BELL_SECONDS = envint("NOTIFY_BELL_SECONDS", 30)
# E-mail through Django's backend: SMTP at EMAIL_HOST:EMAIL_PORT by default.
EMAIL_BACKEND = envstr("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = envstr("EMAIL_HOST", "127.0.0.1")
EMAIL_PORT = envint("EMAIL_PORT", 2525)
EMAIL_HOST_USER = envstr("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = envstr("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = envint("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = envstr("DEFAULT_FROM_EMAIL", "motcua@localhost")
NOTIFY_EMAIL_DOMAIN = envstr("NOTIFY_EMAIL_DOMAIN", "motcua.local")
# SMS brandname gateway (HTTP JSON). Delivery reports come to
# {PUBLIC_BASE_URL}/notify/sms/report/{SMS_CALLBACK_SECRET}/.
SMS_GATEWAY_URL = envstr(
    "SMS_GATEWAY_URL", "http://127.0.0.1:8020/SendMultipleMessage_V4_post_json/"
)
SMS_API_KEY = envstr("SMS_API_KEY", "demo-key")
SMS_SECRET_KEY = envstr("SMS_SECRET_KEY", "demo-secret")
SMS_BRANDNAME = envstr("SMS_BRANDNAME", "MOTCUA")
SMS_SANDBOX = envbool("SMS_SANDBOX", False)
_DEMO_CALLBACK_SECRET = "demo-callback-secret"  # noqa: S105 - the demo's, refused in production
SMS_CALLBACK_SECRET = envstr("SMS_CALLBACK_SECRET", _DEMO_CALLBACK_SECRET)
if REQUIRE_SECRET_KEY and SMS_CALLBACK_SECRET == _DEMO_CALLBACK_SECRET:
    raise ConfigError("SMS_CALLBACK_SECRET must be set in production (ADR 17)")
# Send SMS without Vietnamese diacritics (GSM-7, 160 characters a part instead of 70).
SMS_STRIP_DIACRITICS = envbool("SMS_STRIP_DIACRITICS", False)
# Zalo Notification Service.
ZNS_URL = envstr("ZNS_URL", "http://127.0.0.1:8021/message/template")
ZNS_OAUTH_URL = envstr("ZNS_OAUTH_URL", "http://127.0.0.1:8021/v4/oa/access_token")
ZNS_ACCESS_TOKEN = envstr("ZNS_ACCESS_TOKEN", "demo-access-token")
ZNS_REFRESH_TOKEN = envstr("ZNS_REFRESH_TOKEN", "")
ZNS_APP_ID = envstr("ZNS_APP_ID", "")
ZNS_SECRET_KEY = envstr("ZNS_SECRET_KEY", "")
# Signed copies of every chain head are written here, outside the database (ADR 9).
AUDIT_CHECKPOINT_DIR = envstr("AUDIT_CHECKPOINT_DIR", str(BASE_DIR / "audit-checkpoints"))

# Uploaded files (uploads.gate, docs/adr/0012): at most this many bytes per file and per
# dossier (a request declaring more is refused before it is read); the content types allowed
# (decided by content with libmagic); the storage alias of STORAGES they are kept in.
UPLOAD_MAX_FILE_BYTES = envint("UPLOAD_MAX_FILE_BYTES", 20 * 1024 * 1024)
UPLOAD_MAX_DOSSIER_BYTES = envint("UPLOAD_MAX_DOSSIER_BYTES", 50 * 1024 * 1024)
UPLOAD_ALLOWED_TYPES = envlist(
    "UPLOAD_ALLOWED_TYPES", ["application/pdf", "image/jpeg", "image/png"]
)
UPLOAD_STORAGE = envstr("UPLOAD_STORAGE", "default")
if envstr("UPLOAD_S3_BUCKET", ""):
    # An S3-compatible store (needs `pip install django-storages[s3]`); the usual AWS_*
    # variables (keys, endpoint URL, region) are read by django-storages itself.
    STORAGES["uploads"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": envstr("UPLOAD_S3_BUCKET", ""),
            "endpoint_url": envstr("UPLOAD_S3_ENDPOINT_URL", "") or None,
            "default_acl": "private",
            "file_overwrite": False,
        },
    }
    UPLOAD_STORAGE = "uploads"
# Every file is scanned by ClamAV's clamd before it is stored: its Unix socket, else its TCP
# address; seconds to wait for it. `manage.py run_clamd` (in the Procfile) runs a local one.
CLAMD_SOCKET = envstr("CLAMD_SOCKET", "")
CLAMD_HOST = envstr("CLAMD_HOST", "127.0.0.1")
CLAMD_PORT = envint("CLAMD_PORT", 3310)
CLAMD_TIMEOUT = envint("CLAMD_TIMEOUT", 60)

# History import from the admin page: largest upload. Bigger files go through
# `manage.py import_dossiers`.
HISTORY_IMPORT_MAX_BYTES = envint("HISTORY_IMPORT_MAX_BYTES", 10 * 1024 * 1024)

# Public lookups (code + PIN): failed lookups from one client address, for one dossier code
# and across all codes, before that address must wait PIN_LOCKOUT_MINUTES.
PIN_MAX_FAILURES = envint("PIN_MAX_FAILURES", 10)
LOOKUP_MAX_FAILURES = envint("LOOKUP_MAX_FAILURES", 20)
PIN_LOCKOUT_MINUTES = envint("PIN_LOCKOUT_MINUTES", 15)

# The automated hotline (hotline/, ADR 26): the FastAGI address Asterisk calls, the folder of
# synthesised telephone audio (Asterisk must see it at the same path), the folder of human
# recordings that replace pieces, the extension a caller is transferred to in the office hours
# of HOTLINE_UNIT's calendar (national defaults when empty; no extension: never transferred).
HOTLINE_HOST = envstr("HOTLINE_HOST", "127.0.0.1")
HOTLINE_PORT = envint("HOTLINE_PORT", 4573)
HOTLINE_AUDIO_DIR = Path(envstr("HOTLINE_AUDIO_DIR", str(MEDIA_ROOT / "hotline")))
HOTLINE_RECORDINGS_DIR = Path(
    envstr("HOTLINE_RECORDINGS_DIR", str(BASE_DIR / "hotline-recordings"))
)
HOTLINE_TRANSFER_EXTENSION = envstr("HOTLINE_TRANSFER_EXTENSION", "")
HOTLINE_UNIT = envstr("HOTLINE_UNIT", "")
# Requests per minute from one client address to the public pages and the API token.
RATE_LIMIT_PUBLIC_PER_MINUTE = envint("RATE_LIMIT_PUBLIC_PER_MINUTE", 60)
# Field reports posted to /georeport/v2/ without an api_key, per client address and hour.
FIELDREPORT_POSTS_PER_HOUR = envint("FIELDREPORT_POSTS_PER_HOUR", 10)
RATE_LIMIT_VERIFY_PER_MINUTE = envint("RATE_LIMIT_VERIFY_PER_MINUTE", 10)
RATE_LIMIT_SIGNIN_PER_MINUTE = envint("RATE_LIMIT_SIGNIN_PER_MINUTE", 20)
# Sign-ups, code confirmations and password resets of citizen accounts.
RATE_LIMIT_ACCOUNT_PER_MINUTE = envint("RATE_LIMIT_ACCOUNT_PER_MINUTE", 10)
# Form posts and uploads of a citizen's online filing and dossier pages (/nop-ho-so/,
# /ho-so-cua-toi/).
RATE_LIMIT_FILING_PER_MINUTE = envint("RATE_LIMIT_FILING_PER_MINUTE", 60)
# Satisfaction surveys: anonymous answers per client address, campaign and day; the age limit
# of a survey link sent with a returned result.
SURVEY_ANONYMOUS_PER_DAY = envint("SURVEY_ANONYMOUS_PER_DAY", 3)
SURVEY_LINK_DAYS = envint("SURVEY_LINK_DAYS", 60)
# Rate-limit counters live in the database; a Redis URL moves them there (several nodes, less
# database load).
RATE_LIMIT_REDIS_URL = envstr("RATE_LIMIT_REDIS_URL", "")

# API bearer tokens expire after this many hours.
API_TOKEN_TTL_HOURS = envint("API_TOKEN_TTL_HOURS", 12)

# --- HTTPS, the reverse proxy, headers (README "Deployment") --------------------------------
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = envbool("SECURE_COOKIES", False)
# Redirect plain HTTP to HTTPS, and tell browsers to use HTTPS only for this many seconds.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", False)
# Addresses of the reverse proxies in front of the app. Only a request arriving from one of
# them may say, in X-Forwarded-For, which client it carries, and in X-Forwarded-Proto that
# the client used HTTPS (the proxy must overwrite both headers).
TRUSTED_PROXIES = envlist("TRUSTED_PROXIES", [])
if TRUSTED_PROXIES:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Sessions end after a working day (8 working hours and the lunch break), at the latest.
SESSION_COOKIE_AGE = envint("SESSION_COOKIE_AGE", 9 * 3600)

# Online payment through VNPay 2.1.0 (payments/, ADR 19): off until the merchant code and
# secret are set (`make demo` sets the local peer's, demo/peers/vnpay.py). The URLs default
# to that peer, which stands in for the real gateway in the demo and the tests.
VNPAY_TMN_CODE = envstr("VNPAY_TMN_CODE", "")
VNPAY_HASH_SECRET = envstr("VNPAY_HASH_SECRET", "")
VNPAY_PAY_URL = envstr("VNPAY_PAY_URL", "http://127.0.0.1:8030/paymentv2/vpcpay.html")
VNPAY_API_URL = envstr("VNPAY_API_URL", "http://127.0.0.1:8030/merchant_webapi/api/transaction")
VNPAY_TIMEOUT_SECONDS = envint("VNPAY_TIMEOUT_SECONDS", 10)
# Addresses (or networks, CIDR) the gateway's IPN may come from; empty accepts any source (the
# checksum still decides). VNPay publishes its servers' addresses: list them in production.
VNPAY_IPN_ALLOWED_IPS = envlist("VNPAY_IPN_ALLOWED_IPS", [])
# An online payment not confirmed within this many minutes expires (vnp_ExpireDate).
PAYMENT_EXPIRY_MINUTES = envint("PAYMENT_EXPIRY_MINUTES", 15)
# The electronic receipt's template symbol (EBL01: no face value) and receipt symbol ("26T"
# and two letters), Circular 91/2026/TT-BTC; the collecting organisation's tax code
# (docs/receipt.md).
RECEIPT_FORM_CODE = envstr("RECEIPT_FORM_CODE", "EBL01")
RECEIPT_SERIES = envstr("RECEIPT_SERIES", "26TMC")
RECEIPT_TAX_CODE = envstr("RECEIPT_TAX_CODE", "")

# Content-Security-Policy (django-csp): scripts and styles only from our own static files,
# no inline script anywhere; nothing from another origin.
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

# A form refused for its CSRF token gets the portal's page (portal/errors.py).
CSRF_FAILURE_VIEW = "portal.errors.csrf_failure"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": envstr("LOG_LEVEL", "WARNING")},
}
