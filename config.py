"""RoleBook configuration.

Every setting can be overridden from the environment (``ROLEBOOK_<NAME>`` or the few
conventional names such as ``DATABASE_URL`` and ``SECRET_KEY``). ``create_app()`` picks the
class named by ``ROLEBOOK_CONFIG`` (``development``, ``production`` or ``test``).
"""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("ROLEBOOK_INSTANCE_PATH", BASE_DIR / "instance"))


def env(name: str, default=None):
    return os.environ.get(f"ROLEBOOK_{name}", default)


def env_int(name: str, default: int | None) -> int | None:
    value = env(name)
    if value is None or value == "":
        return default
    return int(value)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def database_url() -> str:
    """``DATABASE_URL`` (PostgreSQL via psycopg 3 in production), else SQLite under instance/."""
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith("postgres://"):
        url = "postgresql://" + url.removeprefix("postgres://")
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return url or f"sqlite:///{INSTANCE_DIR / 'rolebook.sqlite3'}"


def secret_key() -> str:
    """``SECRET_KEY`` from the environment, else a random key generated once into instance/."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32))
    return path.read_text().strip()


def fiscal_year_start_month() -> int:
    """``ROLEBOOK_FISCAL_YEAR_START_MONTH``: 1 to 12 (default 1, the calendar year)."""
    raw = env("FISCAL_YEAR_START_MONTH", "1")
    if not raw.strip().isdigit() or not 1 <= int(raw) <= 12:
        raise ValueError(f"ROLEBOOK_FISCAL_YEAR_START_MONTH must be a month from 1 to 12, not {raw!r}")
    return int(raw)


# Password policies. The default follows current guidance (NIST SP 800-63B): long passwords, a
# blocklist of common ones, nothing equal to the e-mail. "seeds" is the rule of the source
# documents: at least 6 characters, not starting with a digit, changed every 90 days, and mixing
# letters with digits or symbols. Choose one with ROLEBOOK_PASSWORD_POLICY, then override any key
# with ROLEBOOK_PASSWORD_<KEY> (e.g. ROLEBOOK_PASSWORD_MIN_LENGTH=12).
PASSWORD_POLICIES = {
    "modern": {
        "MIN_LENGTH": 10,
        "BLOCK_COMMON": True,
        "FORBID_EMAIL": True,
        "FORBID_LEADING_DIGIT": False,
        "MIN_CHARACTER_CLASSES": 1,
        "MAX_AGE_DAYS": 0,  # 0: never expires
    },
    "seeds": {
        "MIN_LENGTH": 6,
        "BLOCK_COMMON": True,
        "FORBID_EMAIL": True,
        "FORBID_LEADING_DIGIT": True,
        "MIN_CHARACTER_CLASSES": 2,
        "MAX_AGE_DAYS": 90,
    },
}


def password_policy() -> dict:
    policy = dict(PASSWORD_POLICIES[env("PASSWORD_POLICY", "modern")])
    for key, value in policy.items():
        override = env(f"PASSWORD_{key}")
        if override is not None:
            policy[key] = env_bool(f"PASSWORD_{key}", False) if isinstance(value, bool) else int(override)
    return policy


class Config:
    SECRET_KEY = None  # filled by create_app() through secret_key(), never a constant
    SQLALCHEMY_DATABASE_URI = database_url()
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    COMPANY_NAME = env("COMPANY_NAME", "中山市纳迪服饰有限公司")

    # Sessions expire after a period without activity; "remember me" cookies are not offered.
    PERMANENT_SESSION_LIFETIME = timedelta(minutes=env_int("SESSION_MINUTES", 8 * 60))
    SESSION_REFRESH_EACH_REQUEST = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = None  # the token lives as long as the session

    # Login throttling (Flask-Limiter). Failed attempts count per account and per client address.
    # The limit per account is counted in the database (app.auth.throttle), which every process
    # sees; the limit per address is Flask-Limiter's, in this store: each process's memory unless
    # Redis is named here or is the task queue's (several server processes need a shared one).
    RATELIMIT_STORAGE_URI = env("RATELIMIT_STORAGE_URI", "") or (
        env("QUEUE_URL", "") if env("QUEUE_URL", "").startswith(("redis://", "rediss://")) else "memory://"
    )
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_LIMIT_PER_ACCOUNT = env("LOGIN_LIMIT_PER_ACCOUNT", "5 per 15 minutes")
    LOGIN_LIMIT_PER_ADDRESS = env("LOGIN_LIMIT_PER_ADDRESS", "30 per 15 minutes")

    PASSWORD_POLICY = password_policy()
    PASSWORD_HASH_METHOD = "scrypt"  # werkzeug's default scrypt parameters (n=2**15, r=8, p=1)

    LANGUAGES = {"en": "English", "zh_CN": "简体中文"}
    BABEL_DEFAULT_LOCALE = "en"
    # The company's time zone (an IANA name): what "today" is for deadlines, documents, exports
    # and reports, and how stored (UTC) times are shown. See app/core/clock.py.
    TIMEZONE = env("TIMEZONE", "Asia/Shanghai")

    BOOTSTRAP_SERVE_LOCAL = True  # Bootstrap's CSS/JS from the package's static files, no CDN
    PER_PAGE = env_int("PER_PAGE", 25)  # rows of a list page, unless the user chose another size
    PER_PAGE_CHOICES = (25, 50, 100, 200)  # the sizes a user may choose (remembered per account)
    # The longest address and the largest header the application answers; longer ones get 414 and
    # 431 (JSON under /api/). Gunicorn's own limits (gunicorn.conf.py) are set above these.
    MAX_URL_LENGTH = env_int("MAX_URL_LENGTH", 4094)
    MAX_HEADER_BYTES = env_int("MAX_HEADER_BYTES", 8190)
    # Request bodies above this are refused (413) before they are read; spreadsheet uploads and
    # job-description bodies set their own limits.
    MAX_CONTENT_LENGTH = env_int("MAX_CONTENT_LENGTH", 8_000_000)
    TRANSFER_MAX_BYTES = env_int("TRANSFER_MAX_BYTES", 20_000_000)  # spreadsheet uploads
    TRANSFER_MAX_ROWS = env_int("TRANSFER_MAX_ROWS", 50_000)
    SHOW_DEMO_LOGINS = env_bool("SHOW_DEMO_LOGINS", False)  # the demo accounts on the login page

    # Duty coverage: a department function served by more positions than this is an overlap.
    COVERAGE_OVERLAP = env_int("COVERAGE_OVERLAP", 3)
    # Job descriptions uploaded as files (app.jobs.files): one document, and bulk imports (many
    # files or a .zip); bigger batches than JD_BULK_SYNC_MAX_FILES are read by a background task.
    # LibreOffice (.doc/.wps) and the PDF/OCR tools run with these time and memory limits.
    JD_UPLOAD_MAX_BYTES = env_int("JD_UPLOAD_MAX_BYTES", 20_000_000)
    JD_BULK_MAX_BYTES = env_int("JD_BULK_MAX_BYTES", 100_000_000)
    JD_BULK_MAX_FILES = env_int("JD_BULK_MAX_FILES", 300)
    JD_BULK_SYNC_MAX_FILES = env_int("JD_BULK_SYNC_MAX_FILES", 10)
    JD_CONVERT_TIMEOUT = env_int("JD_CONVERT_TIMEOUT", 60)
    JD_CONVERT_MEMORY = env_int("JD_CONVERT_MEMORY", 2 * 1024**3)
    JD_TOOL_TIMEOUT = env_int("JD_TOOL_TIMEOUT", 60)
    JD_TOOL_MEMORY = env_int("JD_TOOL_MEMORY", 1024**3)
    JD_OCR_LANGUAGES = env("JD_OCR_LANGUAGES", "chi_sim+eng")
    JD_OCR_MAX_PAGES = env_int("JD_OCR_MAX_PAGES", 20)

    # Printable documents (app/documents). Cached PDFs live under the instance folder unless
    # PDF_CACHE_DIR says otherwise; the oldest go when there are more than PDF_CACHE_MAX_FILES.
    PDF_CACHE_DIR = env("PDF_CACHE_DIR", "")
    PDF_CACHE_MAX_FILES = env_int("PDF_CACHE_MAX_FILES", 2000)
    # Worker processes that render the parts of a large position manual side by side (0: in the
    # requesting process, one part after the other).
    PDF_WORKERS = env_int("PDF_WORKERS", min(2, os.cpu_count() or 1))
    # A document expected to be longer than this many pages (and not cached) is made by a background
    # task with a progress bar, not in the request (app/documents/services.py: what is long).
    PDF_SYNC_MAX_PAGES = env_int("PDF_SYNC_MAX_PAGES", 12)
    # ... fewer in proportion when the machine is busier than it has cores (the load average per
    # core), and fewer in a process's first layout (off: PDF_SYNC_MAX_PAGES as it is, whatever the load).
    PDF_SYNC_LOAD_AWARE = env_bool("PDF_SYNC_LOAD_AWARE", True)
    # Org chart edges: "polyline", or "ortho" (right angles; Graphviz 2.43 aborts on some charts,
    # which are then drawn again with polylines: see app/org/chart_dot.py).
    ORG_CHART_EDGES = env("ORG_CHART_EDGES", "polyline")
    # From this many positions a manual is rendered in parts (in the PDF workers) and assembled,
    # rather than in one pass.
    MANUAL_PARTS_MIN_POSITIONS = env_int("MANUAL_PARTS_MIN_POSITIONS", 24)
    # The org chart and the department choices of the pages are kept per process until the data
    # changes (app/org/services/views_cache.py). Not an environment setting: off in the tests only.
    ORG_VIEW_CACHE = True

    # Background tasks (app/tasks): huey, on a SQLite file in the instance folder by default,
    # on Redis when ROLEBOOK_QUEUE_URL=redis://host:6379/0. The consumer runs as threads inside
    # the web process ("thread") or as its own process (`flask tasks worker`, with "none" here).
    TASK_QUEUE_URL = env("QUEUE_URL", "")
    TASK_CONSUMER = env("QUEUE_CONSUMER", "thread")
    TASK_WORKERS = env_int("QUEUE_WORKERS", 2)
    TASK_RESULT_DAYS = env_int("TASK_RESULT_DAYS", 7)  # finished tasks and their files are kept this long

    # Notifications (app/notifications). Mails are written to the outbox with the change that
    # causes them and sent by the background queue through this SMTP server; without a server
    # (development) they stay in the outbox, readable by the admins. BASE_URL makes the links
    # in mails absolute (the address users open RoleBook at).
    MAIL_SERVER = env("MAIL_SERVER", "")
    MAIL_PORT = env_int("MAIL_PORT", 25)
    MAIL_USERNAME = env("MAIL_USERNAME", "")
    MAIL_PASSWORD = env("MAIL_PASSWORD", "")
    MAIL_USE_TLS = env_bool("MAIL_USE_TLS", False)  # STARTTLS (usually port 587)
    MAIL_USE_SSL = env_bool("MAIL_USE_SSL", False)  # TLS from the start (usually port 465)
    MAIL_DEFAULT_SENDER = env("MAIL_SENDER", "RoleBook <rolebook@localhost>")
    MAIL_TIMEOUT = env_int("MAIL_TIMEOUT", 30)  # seconds the sender waits for the server
    MAIL_BACKEND = "smtp"
    MAIL_MAX_ATTEMPTS = env_int("MAIL_MAX_ATTEMPTS", 10)  # a mail the server keeps refusing for now
    MAIL_RETRY_SECONDS = env_int("MAIL_RETRY_SECONDS", 30)  # first retry; doubled each time ...
    MAIL_RETRY_MAX_SECONDS = env_int("MAIL_RETRY_MAX_SECONDS", 3600)  # ... up to this
    BASE_URL = env("BASE_URL", "")
    # The daily reminders: at this hour (0-23) in the company's time zone; steps due within
    # REMINDER_DUE_DAYS days; job descriptions waiting for review for more than REMINDER_DRAFT_DAYS.
    REMINDER_HOUR = env_int("REMINDER_HOUR", 8)
    REMINDER_DUE_DAYS = env_int("REMINDER_DUE_DAYS", 3)
    REMINDER_DRAFT_DAYS = env_int("REMINDER_DRAFT_DAYS", 7)

    # Appraisal periods: quarterly and annual cycles start on the quarters and years of a fiscal
    # year that begins on the first day of this month (1: the calendar year; 4: April, ...).
    FISCAL_YEAR_START_MONTH = fiscal_year_start_month()
    # Target plans (app/targets): whether a department's head may approve its plans (HR always may).
    TARGETS_HEAD_MAY_APPROVE = env_bool("TARGETS_HEAD_MAY_APPROVE", False)


class DevelopmentConfig(Config):
    SHOW_DEMO_LOGINS = env_bool("SHOW_DEMO_LOGINS", True)


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", True)
    REMEMBER_COOKIE_SECURE = True
    PREFERRED_URL_SCHEME = "https"


class TestConfig(Config):
    TESTING = True
    SQLALCHEMY_DATABASE_URI = os.environ.get("ROLEBOOK_TEST_DATABASE_URL", "sqlite://")
    WTF_CSRF_ENABLED = False  # one test proves CSRF is on in the real configuration
    PASSWORD_POLICY = dict(PASSWORD_POLICIES["modern"])
    PASSWORD_HASH_METHOD = "scrypt:1024:8:1"  # still scrypt, cheaper, so the suite stays fast
    RATELIMIT_STORAGE_URI = "memory://"
    PDF_WORKERS = 0  # tests that want worker processes ask for them
    TASK_CONSUMER = "none"  # tests that run tasks start a consumer themselves
    PDF_SYNC_LOAD_AWARE = False  # PDF_SYNC_MAX_PAGES as set, whatever the machine's load
    ORG_VIEW_CACHE = False  # tests roll back, which may give an audit id again: the cache's own tests turn it on


CONFIGS = {
    "development": DevelopmentConfig,
    "production": ProductionConfig,
    "test": TestConfig,
}
