"""The one settings module. Everything that differs between deployments comes from the environment.

Secrets are read from NAME or from the file at NAME_FILE. Secure by default: DEBUG is off, and a deployment
is assumed to sit behind TLS unless PALERMO_BEHIND_TLS=0 says otherwise (local `make run`, tests).
"""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url
import django.conf.locale
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

from palermo.core.secrets import read_secret

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, "1" if default else "0").strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("PALERMO_DEBUG", False)
# Tests get throw-away keys generated in memory; nothing else may run without real keys.
EPHEMERAL_KEYS = env_bool("PALERMO_EPHEMERAL_KEYS", False)


def _key(name: str, make: str) -> str:
    return read_secret(name, default=make if EPHEMERAL_KEYS else None)


SECRET_KEY = _key("PALERMO_SECRET_KEY", secrets.token_urlsafe(50))
# Field-encryption key ring ("id:base64key" per line or comma; first encrypts) and the blind-index key.
FIELD_KEYS = _key("PALERMO_FIELD_KEYS", f"t1:{base64.b64encode(secrets.token_bytes(32)).decode()}")
BLIND_INDEX_KEY = _key("PALERMO_BLIND_INDEX_KEY", base64.b64encode(secrets.token_bytes(32)).decode())
# Audit chain keys ("id:base64key", first signs, all verify; never remove one while events use it) and the
# last sequence number written before the chain was keyed (0: every event must be keyed). docs/decisions/0021.
AUDIT_KEYS = _key("PALERMO_AUDIT_KEYS", f"a1:{base64.b64encode(secrets.token_bytes(32)).decode()}")
# This system's transnational key pair, a private JWK set (docs/decisions/0038; `palermo init-secrets` makes
# one). Empty: no package can be sent or opened (with PALERMO_EPHEMERAL_KEYS, one is made in memory).
TRANSNATIONAL_KEYS = read_secret("PALERMO_TRANSNATIONAL_KEYS", default="")
AUDIT_UNKEYED_UNTIL = int(os.environ.get("PALERMO_AUDIT_UNKEYED_UNTIL", "0"))
# Backup archive keys ("id:base64key", first encrypts, all decrypt): `palermo backup` refuses without one.
# Escrowed with the keys above, never stored beside the archives (docs/operations/keys.md, decision 0044).
BACKUP_KEYS = read_secret(
    "PALERMO_BACKUP_KEYS",
    default=f"b1:{base64.b64encode(secrets.token_bytes(32)).decode()}" if EPHEMERAL_KEYS else "",
)

ALLOWED_HOSTS = env_list("PALERMO_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("PALERMO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "csp",
    "django_htmx",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tasks",
    # Before django_tasks_db: its `db_worker` command is ours (it queues again what a killed worker left).
    "palermo.core",
    "django_tasks_db",
    "palermo.accounts",
    "palermo.access",
    "palermo.audit",
    "palermo.cases",
    "palermo.identification",
    "palermo.deadlines",
    "palermo.reflection",
    "palermo.residence",
    "palermo.assistance",
    "palermo.children",
    "palermo.anonymous",
    "palermo.linkage",
    "palermo.origin",
    "palermo.justice",
    "palermo.returns",
    "palermo.statistics",
    "palermo.portal",
    "palermo.privacy",
    "palermo.exchange",
    "palermo.demo",  # synthetic demo data; its generator needs the `demo` extra (Faker)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "palermo.core.middleware.RefuseNulMiddleware",  # before anything reads the path or the query
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "palermo.accounts.sessions.IdleExpiryMiddleware",  # after the view, before the session is saved
    # Django's LocaleMiddleware, opening in the rulebook's staff language (languages.staff_first) by default.
    "palermo.core.middleware.StaffLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "palermo.core.middleware.RequestIdMiddleware",
    # Counts and times each request by view name, and logs it with the request id (palermo.core.monitoring).
    "palermo.core.monitoring.MetricsMiddleware",
    # Deny by default: login, then two-factor, then the view's declared roles.
    "palermo.accounts.middleware.LoginRequiredMiddleware",
    "palermo.accounts.middleware.TwoFactorRequiredMiddleware",
    "palermo.access.middleware.RoleRequiredMiddleware",
    # A closed case takes no write but re-opening, consent withdrawal and a note (palermo.access.closure).
    "palermo.access.middleware.ClosedCaseMiddleware",
    "axes.middleware.AxesMiddleware",
    "palermo.access.limits.RateLimitedPageMiddleware",  # a page past an identity door's rate: 429 page
    # Innermost: records the request's tiered reads once the view has answered (palermo.access.tiered).
    "palermo.access.tiered.ReadLedgerMiddleware",
]

ROOT_URLCONF = "palermo.urls"
WSGI_APPLICATION = "palermo.wsgi.application"

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
                "palermo.accounts.context_processors.active_membership_context",
            ],
        },
    }
]

VAR_DIR = Path(os.environ.get("PALERMO_VAR_DIR", BASE_DIR / "var"))
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'palermo.sqlite3'}"),
        conn_max_age=60,
        # A kept connection is checked before a request reuses it: after a database restart the first request
        # of each process opens a new one instead of failing on the dead one.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout: readers never wait for the writer, and writers wait their turn. Reads through a
    # memory map and a 16 MB page cache per connection: with a national register's worth of cases, the indexes
    # a page reads stay in memory instead of being read back through system calls. Secure delete (FAST: at
    # no extra I/O) zeroes the space a changed or deleted value leaves in its page (decision 0044).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000; "
            "PRAGMA mmap_size=268435456; PRAGMA cache_size=-16000; PRAGMA secure_delete=FAST;"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the lists' access checks are correlated subqueries whose estimated cost passes JIT's
    # threshold, and compiling them took longer than running them (the case list at 30,000 cases: 0.6 s of
    # JIT for a 30 ms count; bench/hot_lists.py). The pages' queries are short; JIT pays off on analytics.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle expiry: the session lapses on the server IDLE_MINUTES after it was last renewed. Not a write on every
# request: IdleExpiryMiddleware renews it at most once per SESSION_TOUCH_SECONDS (a minute, or a tenth of the
# idle time if shorter), so an idle user is signed out up to that much sooner, never later.
IDLE_MINUTES = int(os.environ.get("PALERMO_IDLE_MINUTES", "30"))
SESSION_COOKIE_AGE = IDLE_MINUTES * 60
SESSION_TOUCH_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
SESSION_SAVE_EVERY_REQUEST = False
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True

AXES_FAILURE_LIMIT = int(os.environ.get("PALERMO_LOCKOUT_FAILURES", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("PALERMO_LOCKOUT_HOURS", "1"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_VERBOSE = False

OTP_TOTP_ISSUER = os.environ.get("PALERMO_OTP_ISSUER", "Palermo")

BEHIND_TLS = env_bool("PALERMO_BEHIND_TLS", True)
SECURE_SSL_REDIRECT = BEHIND_TLS
SESSION_COOKIE_SECURE = BEHIND_TLS
CSRF_COOKIE_SECURE = BEHIND_TLS
SECURE_HSTS_SECONDS = 31536000 if BEHIND_TLS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = BEHIND_TLS
SECURE_HSTS_PRELOAD = BEHIND_TLS
if env_bool("PALERMO_TRUST_PROXY_HTTPS", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "en"
# The staff interface's languages (its catalogues in palermo/locale and the apps'), offered by its switcher.
STAFF_LANGUAGES = ["en", "ar", "fr", "ru", "ro", "uk", "es", "sq"]
# The public portal's languages (palermo/portal/locale; docs/decisions/0047). Dari readers are served the
# Persian pages until a Dari catalogue is written (docs/portal.md).
PUBLIC_LANGUAGES = ["en", "ar", "fa", "ur", "ti", "vi", "sq", "ro", "uk", "ru", "es", "fr", "pt"]
LANGUAGES = [
    ("en", _("English")),
    ("ar", _("Arabic")),
    ("fa", _("Persian")),
    ("ur", _("Urdu")),
    ("ti", _("Tigrinya")),
    ("vi", _("Vietnamese")),
    ("sq", _("Albanian")),
    ("ro", _("Romanian")),
    ("uk", _("Ukrainian")),
    ("ru", _("Russian")),
    ("es", _("Spanish")),
    ("fr", _("French")),
    ("pt", _("Portuguese")),
]
# Django knows every language above but Tigrinya: its name and direction, as Django's own table gives them.
django.conf.locale.LANG_INFO.setdefault(
    "ti", {"bidi": False, "code": "ti", "name": "Tigrinya", "name_local": "\u1275\u130d\u122d\u129b"}
)
LOCALE_PATHS = [BASE_DIR / "palermo" / "locale"]
# Dates in words, in the reader's language (GOV.UK style: "7 December 2026"): Django's own formats for each
# language, English's set in palermo/formats; these two serve a language Django has no formats for (Tigrinya,
# Urdu). Machine-readable dates stay ISO 8601 (<time datetime>, the API, exports).
FORMAT_MODULE_PATH = ["palermo.formats"]
DATE_FORMAT = "j F Y"
DATETIME_FORMAT = "j F Y, H:i"
USE_I18N = True
TIME_ZONE = os.environ.get("PALERMO_TIME_ZONE", "UTC")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap and axe-core come from the npm registry at set-up (package.json), never a CDN at run time.
# The GOV.UK type-ahead (accessible-autocomplete) likewise, for long choice lists such as countries.
STATICFILES_DIRS = [
    ("vendor/bootstrap", BASE_DIR / "node_modules" / "bootstrap" / "dist"),
    ("vendor/accessible-autocomplete", BASE_DIR / "node_modules" / "accessible-autocomplete" / "dist"),
]
STORAGES: dict[str, dict[str, Any]] = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG and env_bool("PALERMO_MANIFEST_STATIC", True)
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["palermo.accounts.permissions.VerifiedUser"],
    "DEFAULT_SCHEMA_CLASS": "palermo.core.api_schema.ErrorContractSchema",
    # One JSON shape for every refusal (docs/decisions/0010-one-api-error-contract.md).
    "EXCEPTION_HANDLER": "palermo.core.api_errors.handle",
    # Deeply nested JSON is a 400, not a RecursionError (palermo/core/api_parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "palermo.core.api_parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Every door that matches on a person's identity (look-up, search by name, duplicate check) is rate-limited
# per person and per client system (palermo.access.limits, docs/configuration.md). The counts live in the
# database by default, shared by every worker; PALERMO_REDIS_URL keeps them in Redis instead (the `redis`
# package must then be installed). PALERMO_RATE_LIMITS changes a door's rates: `lookup=30/minute;...`.
RATE_LIMITS = os.environ.get("PALERMO_RATE_LIMITS", "")
REDIS_URL = read_secret("PALERMO_REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "limits": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL},
    }
SPECTACULAR_SETTINGS = {
    "TITLE": "Palermo API",
    "DESCRIPTION": "National Referral Mechanism: the capabilities of the web UI, through the same rules.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
# Names for choice sets that share a field name in the OpenAPI schema (a case's status, a document's kind).
SPECTACULAR_SETTINGS["ENUM_NAME_OVERRIDES"] = {
    "CaseStatusEnum": "palermo.cases.reference.CaseStatus",
    "DocumentKindEnum": "palermo.cases.models.DocumentKind",
    # Citizenships, issuing and recipient countries (ISO 3166 alpha-3); languages (ISO 639-2).
    "CountryEnum": "palermo.core.iso.country_choices",
    "LanguageEnum": "palermo.core.iso.language_choices",
    "ConsentGiverEnum": "palermo.cases.models.ConsentGiver",
    "ExploitationFormEnum": "palermo.cases.reference.ExploitationForm",
    "IdentityDocumentTypeEnum": "palermo.cases.models.DocumentType",
    "IdentificationOutcomeEnum": "palermo.identification.models.DecisionOutcome",
    "ResidenceApplicationKindEnum": "palermo.residence.models.ApplicationKind",
    "ResidenceOutcomeEnum": "palermo.residence.models.Outcome",
    "HumanitarianFindingEnum": "palermo.residence.models.Finding",
    "ServiceKindEnum": "palermo.assistance.models.ServiceKind",
    "ReferralStatusEnum": "palermo.assistance.models.ReferralStatus",
    "DeclineReasonEnum": "palermo.assistance.models.DeclineReason",
    "PlacementEndEnum": "palermo.assistance.models.PlacementEnd",
    "PlanStatusEnum": "palermo.assistance.models.PlanStatus",
    "PersonChoiceEnum": "palermo.assistance.models.PersonChoice",
    "EntitlementStatusEnum": "palermo.reflection.models.EntitlementStatus",
    "ContactStatusEnum": "palermo.portal.models.ContactStatus",
    "ContactChannelEnum": "palermo.portal.models.Channel",
    "EntitlementKindEnum": "palermo.reflection.models.EntitlementKind",
    "OpenedByEnum": "palermo.reflection.models.OpenedBy",
    "GuardianshipEndEnum": "palermo.children.models.GuardianshipEnd",
    "BestInterestKindEnum": "palermo.children.models.BestInterestKind",
    "TracingStatusEnum": "palermo.children.models.TracingStatus",
    "FamilyAnswerEnum": "palermo.children.models.Answer",
    "ContactModeEnum": "palermo.children.models.ContactMode",
    "CareTypeEnum": "palermo.children.models.CareType",
    "CareQualityEnum": "palermo.children.models.CareQuality",
    "DecidingBodyEnum": "palermo.children.models.DecidingBody",
    "ChildStatusOutcomeEnum": "palermo.children.models.ChildStatusOutcome",
    "CountryInformationTopicEnum": "palermo.origin.models.Topic",
    "CountryInformationStatusEnum": "palermo.origin.models.EntryStatus",
    "PartnerKindEnum": "palermo.origin.models.PartnerKind",
    "PartnerServiceEnum": "palermo.origin.models.PartnerServiceKind",
    "SolutionKindEnum": "palermo.children.models.SolutionKind",
    "RiskConclusionEnum": "palermo.children.models.RiskConclusion",
    "EscortRoleEnum": "palermo.children.models.EscortRole",
    "ReturnStatusEnum": "palermo.returns.models.ReturnStatus",
    "PartnerConclusionEnum": "palermo.returns.models.PartnerConclusion",
    "ResettlementStatusEnum": "palermo.returns.models.ResettlementStatus",
    "ResettlementStepKindEnum": "palermo.returns.models.ResettlementStepKind",
    "ResettlementGroundEnum": "palermo.returns.models.ResettlementGround",
    "ResettlementChannelEnum": "palermo.returns.models.ResettlementChannel",
    "PackagePurposeEnum": "palermo.returns.models.PackagePurpose",
    "PurposeEnum": "palermo.cases.models.ConsentPurpose",  # its name before packages had purposes too
    "PackageStatusEnum": "palermo.returns.models.PackageStatus",
    "JusticeRiskLevelEnum": "palermo.justice.models.RiskLevel",
    "JusticeAnswerEnum": "palermo.justice.models.Answer",
    "ProceedingKindEnum": "palermo.justice.models.ProceedingKind",
    "ProtectionMeasureKindEnum": "palermo.justice.models.MeasureKind",
    "HearingMeasureKindEnum": "palermo.justice.models.HearingMeasureKind",
    "StatementKindEnum": "palermo.justice.models.StatementKind",
    "OffenceKindEnum": "palermo.justice.models.OffenceKind",
    "ProceedingOutcomeEnum": "palermo.justice.models.ProceedingOutcome",
    "NonPunishmentOutcomeEnum": "palermo.justice.models.RequestOutcome",
    # The names these two had before the justice area brought other "role" and "route" choices.
    "RoleEnum": "palermo.accounts.roles.Role",
    "RouteEnum": "palermo.residence.models.PermanentRoute",
    "PartyRoleEnum": "palermo.justice.models.PartyRole",
    "CompensationRouteEnum": "palermo.justice.models.CompensationRoute",
    "ProtectionMeasureStatusEnum": "palermo.justice.models.MeasureStatus",
    "OffenceStatusEnum": "palermo.justice.models.OffenceStatus",
    "ProceedingStageEnum": "palermo.justice.models.Stage",
    "RiskTriggerEnum": "palermo.justice.models.RiskTrigger",
    "RiskFactorEnum": "palermo.justice.models.RiskFactor",
    "ChargeEnum": "palermo.justice.models.Charge",
    "HearingMeasureDecisionEnum": "palermo.justice.models.MeasureDecision",
}

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

EMAIL_BACKEND = os.environ.get("PALERMO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("PALERMO_FROM_EMAIL", "palermo@localhost")
# Where django.core.mail.backends.filebased.EmailBackend writes (`make run` keeps the demo's notices there).
EMAIL_FILE_PATH = os.environ.get("PALERMO_EMAIL_FILE_PATH", str(BASE_DIR / "var" / "mail"))
# SMTP, when PALERMO_EMAIL_BACKEND is django.core.mail.backends.smtp.EmailBackend; the password is a secret.
EMAIL_HOST = os.environ.get("PALERMO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("PALERMO_EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("PALERMO_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = read_secret("PALERMO_EMAIL_PASSWORD", default="")
EMAIL_USE_TLS = env_bool("PALERMO_EMAIL_TLS", False)
EMAIL_TIMEOUT = 30
# The site's own address (scheme and host, e.g. https://nrm.example.org): links in emails (invitations,
# password resets, notices) are built from it, never from a request's Host header. `make run` uses the local
# server's address; elsewhere an email with a link fails until it is set (docs/configuration.md).
PALERMO_SITE_URL = os.environ.get("PALERMO_SITE_URL", "http://127.0.0.1:8000" if DEBUG else "")
# How long an invitation's link stays valid, in days; a password reset link's, in hours (Django's
# PASSWORD_RESET_TIMEOUT, in seconds).
PALERMO_INVITATION_DAYS = int(os.environ.get("PALERMO_INVITATION_DAYS", "7"))
PASSWORD_RESET_TIMEOUT = int(os.environ.get("PALERMO_PASSWORD_RESET_HOURS", "2")) * 3600
# Aggregates shown to roles without case access withhold cells of fewer people (palermo/core/disclosure.py).
PALERMO_MINIMUM_CELL = int(os.environ.get("PALERMO_MINIMUM_CELL", "10"))
# The memory PostgreSQL may use for each sort or hash of the rapporteur's statistics (its `work_mem`, set for
# those queries alone): the dashboard's grouped counts hash in memory instead of sorting on disk (bench/
# statistics_tables.py). Pages keep the server's setting.
PALERMO_STATISTICS_WORK_MEM = os.environ.get("PALERMO_STATISTICS_WORK_MEM", "256MB")
# The rapporteur's dashboard counts a view at most once in this many minutes (the same day, tables and
# threshold); a change of year or group and the downloads answer from those counts, and the page says when
# they were counted. 0 counts every request afresh. Releases are always counted when they are made.
PALERMO_STATISTICS_RECOUNT_MINUTES = int(os.environ.get("PALERMO_STATISTICS_RECOUNT_MINUTES", "10"))
# The daily deadline reminder (palermo.deadlines.tasks): overdue deadlines and those due within this many
# days are announced, once a day, at this hour of local time.
PALERMO_DEADLINE_REMINDER_DAYS = int(os.environ.get("PALERMO_DEADLINE_REMINDER_DAYS", "2"))
PALERMO_DEADLINE_REMINDER_HOUR = int(os.environ.get("PALERMO_DEADLINE_REMINDER_HOUR", "6"))
# A task still running after this many minutes is taken for one whose worker died and is run again by the next
# worker that starts (palermo.core.tasks); a dead worker of the same machine is noticed at once.
PALERMO_TASK_LEASE_MINUTES = int(os.environ.get("PALERMO_TASK_LEASE_MINUTES", "60"))

# Whom a caller of the non-removal look-up asks about a possible match before any removal: the competent
# identification authority's desk, e.g. "NRM duty desk, +00 000 000 000" (docs/lookup.md).
PALERMO_LOOKUP_CONTACT = os.environ.get("PALERMO_LOOKUP_CONTACT", "")
# Whom a partner NRM told "likely known" contacts for a formal request through the transnational referral
# (docs/linkage.md); the look-up's contact when unset.
PALERMO_PARTNER_CONTACT = os.environ.get("PALERMO_PARTNER_CONTACT", "") or PALERMO_LOOKUP_CONTACT

PALERMO_RULEBOOK = os.environ.get("PALERMO_RULEBOOK", "osce-2005")
RULEBOOK_DIR = Path(os.environ.get("PALERMO_RULEBOOK_DIR", BASE_DIR / "rulebooks"))

# Case documents: encrypted files outside the web root (never under STATIC_ROOT or a media root), served only
# through the access policy. The size limit is per file.
DOCUMENT_STORE = Path(os.environ.get("PALERMO_DOCUMENT_STORE", VAR_DIR / "documents"))
DOCUMENT_MAX_BYTES = int(os.environ.get("PALERMO_DOCUMENT_MAX_MB", "20")) * 1024 * 1024
# Or in an S3-compatible bucket (the `s3` extra: django-storages with boto3), when PALERMO_DOCUMENT_S3_BUCKET
# is set. Files are sealed before the upload, so the bucket only ever holds ciphertext
# (docs/operations/documents-on-s3.md). Credentials: PALERMO_DOCUMENT_S3_ACCESS_KEY and _SECRET_KEY (or their
# _FILE), else boto3's own chain (environment, instance role).
DOCUMENT_STORAGE = ""
if os.environ.get("PALERMO_DOCUMENT_S3_BUCKET"):
    DOCUMENT_STORAGE = "documents"
    STORAGES["documents"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["PALERMO_DOCUMENT_S3_BUCKET"],
            "location": os.environ.get("PALERMO_DOCUMENT_S3_PREFIX", "documents"),
            "endpoint_url": os.environ.get("PALERMO_DOCUMENT_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("PALERMO_DOCUMENT_S3_REGION") or None,
            "access_key": read_secret("PALERMO_DOCUMENT_S3_ACCESS_KEY", default="") or None,
            "secret_key": read_secret("PALERMO_DOCUMENT_S3_SECRET_KEY", default="") or None,
            # Names are random and never reused: an upload keeps its exact name. No ACL, no public URL.
            "file_overwrite": True,
            "default_acl": None,
            "querystring_auth": True,
            # The store's own encryption at rest as well, where it offers it (ours comes first in any case).
            "object_parameters": {"ServerSideEncryption": "AES256"}
            if env_bool("PALERMO_DOCUMENT_S3_SERVER_SIDE_ENCRYPTION", False)
            else {},
        },
    }

# Where the public portal's quick exit goes: an ordinary page elsewhere (docs/portal.md).
PORTAL_EXIT_URL = os.environ.get("PALERMO_PORTAL_EXIT_URL", "https://www.bbc.com/weather")

# How many synthetic cases `seed_demo` refers through the demo users (0: none).
DEMO_CASES = int(os.environ.get("PALERMO_DEMO_CASES", "200"))

# Prometheus metrics at /metrics for a scraper sending this bearer token; unset, /metrics answers 404.
PALERMO_METRICS_TOKEN = read_secret("PALERMO_METRICS_TOKEN", default="")

# Logs carry request ids and object ids, never personal data. PALERMO_LOG_FORMAT=json writes one JSON object
# a line (for a log collector), with the request id on every line written while a request is served.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tracebacks without exception messages: those may repeat personal data (palermo/core/logging.py).
    "formatters": {
        "plain": {
            "()": "palermo.core.logging.RedactingFormatter",
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
        },
        "json": {"()": "palermo.core.logging.JsonFormatter"},
    },
    "filters": {"request_id": {"()": "palermo.core.logging.RequestIdFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if os.environ.get("PALERMO_LOG_FORMAT") == "json" else "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("PALERMO_LOG_LEVEL", "INFO")},
    "loggers": {
        # One line per request (view name, method, status, time, request id): PALERMO_REQUEST_LOG=INFO.
        "palermo.request": {"level": os.environ.get("PALERMO_REQUEST_LOG", "WARNING"), "propagate": True},
        # Django's request logger repeats the path and can include query strings; keep it to warnings.
        "django.request": {"level": "ERROR", "propagate": True},
        "axes": {"level": "WARNING", "propagate": True},
        # WeasyPrint says each step of every PDF at INFO (seven lines a letter or summary), and its font
        # subsetting (fontTools) more: only their warnings belong in an operator's log.
        "weasyprint": {"level": "WARNING", "propagate": True},
        "fontTools": {"level": "WARNING", "propagate": True},
    },
}
