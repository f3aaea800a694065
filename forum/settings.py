"""Forum settings: one file, configured by environment variables (see .env.example)."""

import os
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from django.utils.csp import CSP

from forum.env import dev_only_secret, env_bool, env_choice, env_int, env_list, mailers_setting

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", default=False)
SECRET_KEY = os.environ.get("SECRET_KEY") or dev_only_secret(DEBUG)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_NAME = os.environ.get("SITE_NAME", "Forum")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_tasks_db",
    "accounts",
    "forum.posts",
    "forum.comments",
    "forum.moderation",
    "forum.notifications",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Cached post pages for signed-out readers: after the security and CSP headers, before the rest.
    "forum.posts.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
]

ROOT_URLCONF = "forum.urls"
WSGI_APPLICATION = "forum.wsgi.application"

CONTEXT_PROCESSORS = [
    "django.template.context_processors.request",
    "django.contrib.auth.context_processors.auth",
    "django.contrib.messages.context_processors.messages",
    "django.template.context_processors.i18n",
    "forum.context_processors.site",
    "forum.moderation.context_processors.moderation",
]
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": CONTEXT_PROCESSORS,
            "libraries": {"layout": "forum.layout"},
        },
    },
    {
        # The layout and the post page (see forum/jinja.py); DIRS holds nothing else.
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates" / "jinja2"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "forum.jinja.environment",
            "context_processors": [*CONTEXT_PROCESSORS, "forum.jinja.csrf_input_once"],
        },
    },
]

# Database: PostgreSQL in production, an SQLite file when DATABASE_URL is unset.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("CONN_MAX_AGE", default=60),
        conn_health_checks=True,
    )
}
# PostgreSQL: parameters travel apart from the SQL, so a query's text is the same on every
# request, and psycopg prepares it on a connection's fifth run: PostgreSQL then stops planning
# it again (up to a millisecond for the post page's queries and the signed-in member's). Turn
# it off behind a pooler that cannot keep prepared statements (PgBouncer in transaction mode
# before 1.21).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis when REDIS_URL is set, else per-process memory.
if os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": os.environ["REDIS_URL"]}
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
# One backend: allauth's (username or email), loading the user with their roles per request.
AUTHENTICATION_BACKENDS = ["accounts.backends.AuthenticationBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_REDIRECT_URL = "home"
LOGIN_URL = "account_login"

# django-allauth: username + email accounts, our own templates and rules.
ACCOUNT_ADAPTER = "accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "accounts.forms.LoginForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = env_choice(
    "EMAIL_VERIFICATION", choices={"mandatory", "optional", "none"}, default="optional" if DEBUG else "mandatory"
)
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_USERNAME_MIN_LENGTH = 3
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{SITE_NAME}] "

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# Static files: our own and Bootstrap from the xstatic package, served by WhiteNoise.
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static", ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR)]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT") or BASE_DIR / "media")
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

MAILERS = mailers_setting(os.environ.get("EMAIL_URL"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", f"{SITE_NAME} <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Every page loads only its own origin's resources: no CDN, no third-party request.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# Django's database sessions, read by a query compiled once.
SESSION_ENGINE = "accounts.sessions"

# Production hardening; each can be turned off for a deployment behind plain HTTP.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
# Joining the browsers' preload list is a one-way choice for the deployer (README), not a default.
SILENCED_SYSTEM_CHECKS = [] if SECURE_HSTS_PRELOAD else ["security.W021"]
if env_bool("BEHIND_PROXY", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    # Django's own loggers pass their records to the root's handler instead of printing
    # them a second time through Django's default console handler (on with DEBUG).
    "loggers": {"django": {"handlers": [], "level": LOG_LEVEL, "propagate": True}},
}

# Discussions
COMMENTS_MAX_DISPLAY_DEPTH = env_int("COMMENTS_MAX_DISPLAY_DEPTH", default=5)
COMMENTS_ALLOW_IMAGES = env_bool("COMMENTS_ALLOW_IMAGES", default=False)
COMMENTS_ALLOW_GUESTS = env_bool("COMMENTS_ALLOW_GUESTS", default=False)
COMMENTS_MAX_LENGTH = env_int("COMMENTS_MAX_LENGTH", default=10_000)
COMMENTS_EDIT_WINDOW_MINUTES = env_int("COMMENTS_EDIT_WINDOW_MINUTES", default=0)  # 0: no limit
COMMENTS_PER_PAGE = env_int("COMMENTS_PER_PAGE", default=50)  # top-level comments, each with its replies

# Posts
# When on, only members of the "Authors" group (and staff) may start discussions.
POSTS_AUTHORS_GROUP_ONLY = env_bool("POSTS_AUTHORS_GROUP_ONLY", default=False)


# Moderation
def _help_links(raw: str) -> list[dict]:
    """SITE_HELP_LINKS="Label|https://url;Other label|tel:+000" -> [{"label", "url"}, ...]."""
    links = []
    for item in raw.split(";"):
        label, _, url = item.partition("|")
        if label.strip():
            links.append({"label": label.strip(), "url": url.strip()})
    return links


SITE_HELP_LINKS = _help_links(
    os.environ.get(
        "SITE_HELP_LINKS",
        "If you or someone near you is in danger, call your local emergency number|;"
        "Talk to the moderators|/moderation/contact/",
    )
)
COMMENTS_AUTO_CLOSE = env_choice(
    "COMMENTS_AUTO_CLOSE", choices={"off", "after_publication", "after_last_comment"}, default="off"
)
COMMENTS_AUTO_CLOSE_DAYS = env_int("COMMENTS_AUTO_CLOSE_DAYS", default=30)
COMMENTS_AUTO_CLOSE_MIN_DAYS = env_int("COMMENTS_AUTO_CLOSE_MIN_DAYS", default=7)
MODERATION_HOLD_ALL = env_bool("MODERATION_HOLD_ALL", default=False)
MODERATION_TRUST_AFTER = env_int("MODERATION_TRUST_AFTER", default=1)  # a new member's first N comments wait
MODERATION_MAX_LINKS = env_int("MODERATION_MAX_LINKS", default=2)  # more links than this: held
MODERATION_REPORT_THRESHOLD = env_int("MODERATION_REPORT_THRESHOLD", default=3)
MODERATION_AUTHOR_CAN_CLOSE = env_bool("MODERATION_AUTHOR_CAN_CLOSE", default=False)
MODERATION_NAME_MODERATORS = env_bool("MODERATION_NAME_MODERATORS", default=False)  # in the public log
# Where members write to ask the moderators to look at a decision again; empty: the contact page omits it.
MODERATION_CONTACT_EMAIL = os.environ.get("MODERATION_CONTACT_EMAIL", "").strip()

# Notifications
# Background work (notification emails) is queued in the database and run by
# `manage.py db_worker`; tests run it at once instead.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def _default_site_url() -> str:
    """The development server's address with DEBUG; otherwise https:// and the first allowed host name."""
    hosts = [host.lstrip(".") for host in ALLOWED_HOSTS if host.strip(".*")]
    if DEBUG or not hosts or hosts[0] in {"127.0.0.1", "localhost"}:
        return "http://127.0.0.1:8000"
    return f"https://{hosts[0]}"


# The site's public address, for links in emails (no request to take it from there).
SITE_URL = (os.environ.get("SITE_URL") or _default_site_url()).rstrip("/")
