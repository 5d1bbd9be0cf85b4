"""Safe defaults. Secrets and deployment choices come from instance/config.py or FLASK_* env."""

from datetime import timedelta

# Overwritten by instance/secret_key (generated on first run) or configuration.
SECRET_KEY = None

# The embedded default; create_app points it at instance/bazaar.sqlite.
SQLALCHEMY_DATABASE_URI = None
SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

PROVINCE = "qom"
# The province's display name and its counties/districts (JSON like bazaar/data/qom.json).
PROVINCE_NAME = {"fa": "قم", "en": "Qom"}
REGIONS_FILE = None
TIMEZONE = "Asia/Tehran"
LANGUAGES = ("fa", "en")
BABEL_DEFAULT_LOCALE = "fa"
BABEL_DEFAULT_TIMEZONE = "Asia/Tehran"

# Product photos, logos and decision documents are kept here (None: instance/uploads). With
# several app servers, point it at a volume they all share (FLASK_UPLOADS_DIR=/srv/uploads).
UPLOADS_DIR = None

# Uploads are at most 5 MB; the form fields around them fit in the remaining margin.
MAX_CONTENT_LENGTH = 6 * 1024 * 1024
# Licence-system CSV imports may be larger (50,000 rows with Persian text are 7-8 MB); they are
# copied to disk as they arrive, never held whole in memory.
IMPORT_MAX_BYTES = 32 * 1024 * 1024
# New vendors an import writes per write transaction: a booking waits for one chunk at most.
IMPORT_CHUNK_ROWS = 2000
# Endpoints whose requests may exceed MAX_CONTENT_LENGTH: endpoint -> the config key of their
# file limit (the request may carry 1 MB of form fields besides). Read by BazaarRequest.
LARGER_UPLOADS = {"imports.upload": "IMPORT_MAX_BYTES"}

# The task queue (Huey, bazaar/queue.py): a SQLite file in instance/ unless REDIS_URL is set.
# `flask worker` consumes it. TASKS_IMMEDIATE runs each task at once in the caller (tests).
TASKS_SQLITE_PATH = None
TASKS_IMMEDIATE = False

# OWASP password storage: scrypt N=2^15, r=8, p=3.
PASSWORD_HASH_METHOD = "scrypt:32768:8:3"  # noqa: S105 (a method name, not a password)
PASSWORD_MIN_LENGTH = 8
PASSWORD_MAX_LENGTH = 128
PASSWORD_RESET_MAX_AGE = 3600

# Sessions: cookie flags; Secure is added whenever the request came over HTTPS (behind a
# proxy, that is what X-Forwarded-Proto says once PROXY_FIX_X_PROTO trusts it).
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = False
PERMANENT_SESSION_LIFETIME = timedelta(days=7)
FORCE_HTTPS = False

# Several app servers share one Redis (FLASK_REDIS_URL=redis://host:6379/0): the rate-limit
# counters and the visitors' page cache then live there instead of in each process.
REDIS_URL = None

# Hosts this site answers for; any other Host header is refused with 400. The host of
# PUBLIC_BASE_URL is added when the app starts. A leading dot admits every subdomain; an
# empty list or None turns the check off (for a proxy in front that already does it).
TRUSTED_HOSTS = ["127.0.0.1", "localhost"]

# Behind a reverse proxy: how many proxies to trust for each X-Forwarded-* header (werkzeug's
# ProxyFix). 0 ignores the header; set them only when a proxy in front sets those headers.
PROXY_FIX_X_FOR = 0
PROXY_FIX_X_PROTO = 0
PROXY_FIX_X_HOST = 0
PROXY_FIX_X_PORT = 0
PROXY_FIX_X_PREFIX = 0

# Anonymous writes are limited per client address and per target (Flask-Limiter), so neither
# one client nor many can flood an account, an address or a vendor with messages.
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_HEADERS_ENABLED = True
LOGIN_LIMIT_PER_IP = "20 per minute; 200 per hour"
# Per account *and* client address: another client's failures never block the owner.
LOGIN_LIMIT_PER_ACCOUNT = "10 per minute"
REGISTER_LIMIT_PER_IP = "10 per hour"
REGISTER_LIMIT_PER_TARGET = "3 per hour"  # per email address or mobile number
RESET_LIMIT_PER_IP = "10 per hour"
# Per account, reset links are capped in the service, never refused: the owner is not locked
# out of the reset path by a stranger's requests.
RESET_MESSAGES_PER_HOUR = 3
INQUIRY_LIMIT_PER_IP = "10 per hour"
INQUIRY_LIMIT_PER_TARGET = "20 per hour; 50 per day"  # per vendor
# Interest-list sign-ups send a confirmation: few per contact, whoever asks, and per bazaar.
INTEREST_LIMIT_PER_IP = "20 per hour"
INTEREST_LIMIT_PER_TARGET = "3 per hour; 10 per day"  # per email address or mobile number
INTEREST_LIMIT_PER_BAZAAR = "200 per hour"
# The JSON API (/api/v1): every request per client address, and per bearer token.
API_LIMIT_PER_IP = "300 per minute"
API_LIMIT_PER_TOKEN = "120 per minute"  # noqa: S105 (a rate, not a secret)
API_TOKEN_HOURS = 24 * 30

# Failed sign-ins, counted in the database (shared by every worker process) per account and
# client address, and per client address: past the limit that client waits out the window.
# Nothing locks an account for everyone; the owner can still sign in from elsewhere or reset.
LOGIN_LOCK_AFTER_FAILURES = 10
LOGIN_LOCK_AFTER_FAILURES_PER_IP = 50
LOGIN_LOCK_MINUTES = 15

# Notifications outbox: "file" writes each message under instance/outbox/; "smtp" sends email.
MAIL_BACKEND = "file"
MAIL_SERVER = "localhost"
MAIL_PORT = 25
MAIL_USE_TLS = False
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_FROM = "bazaar@localhost"
# SMS: "file" (default) or "http", a gateway taking a form POST with a key, number and text.
SMS_BACKEND = "file"
SMS_GATEWAY_URL = None
SMS_GATEWAY_KEY = None
SMS_GATEWAY_KEY_PARAM = "apikey"
SMS_GATEWAY_TO_PARAM = "receptor"
SMS_GATEWAY_TEXT_PARAM = "message"
SMS_GATEWAY_EXTRA_PARAMS = {}
NOTIFICATION_MAX_ATTEMPTS = 6

ITEMS_PER_PAGE = 20

# Figures anyone may see on /statistics (organisers see all of them).
PUBLIC_METRICS = [
    "vendors_by_field",
    "vendors_by_county",
    "products_by_category",
    "bazaars_by_status",
    "stalls_offered",
    "interest_list",
]

# Catalogue pages for visitors are cached per process (at most CACHE_THRESHOLD entries, least
# recently used out first) and dropped when the catalogue changes.
CACHE_TYPE = "bazaar.memory_cache.MemoryCache"
CACHE_THRESHOLD = 2000
PAGE_CACHE_SECONDS = 300

# The site's public address: every absolute link in a message, feed or page is built from it,
# never from the request's Host header (bazaar/links.py). `make run` sets it from PORT.
PUBLIC_BASE_URL = "http://127.0.0.1:5000"

# Static files built by `flask assets build` (hashed names, gzip and brotli; `make run` builds
# them), relative to the project folder. When its manifest exists, WhiteNoise serves them with
# a one-year immutable cache; without it, Flask serves static/ as it is. Empty: never use it.
STATIC_BUILD_DIR = "build/static"

# Logs go to standard error, one line a record, each with the request's id (X-Request-ID).
# "json": one JSON object a line for a log collector; "text": for people reading a terminal.
LOG_FORMAT = "text"
LOG_LEVEL = "INFO"

# Who may read /metrics (Prometheus): addresses or networks; everyone else gets 404. Behind a
# proxy the client address is what PROXY_FIX_X_FOR trusts. Several gunicorn workers: see
# bazaar/metrics.py (PROMETHEUS_MULTIPROC_DIR).
METRICS_ALLOWED_IPS = ["127.0.0.1", "::1"]
