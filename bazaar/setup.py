"""The register_* steps of create_app, each binding one concern to the app."""

import os
import re
import secrets
from pathlib import Path
from urllib.parse import urlsplit

from flask import Request, current_app, flash, redirect, render_template, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import gettext
from flask_wtf.csrf import CSRFError
from werkzeug.datastructures import ImmutableMultiDict, iter_multi_items
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

from bazaar import assets, inputs, logs, metrics
from bazaar import config as default_config
from bazaar.access import referrer_path
from bazaar.database import include_in_migrations, register_sqlite_pragmas
from bazaar.errors import DomainError, NotFound, Throttled, TooLarge
from bazaar.extensions import babel, cache, csrf, db, limiter, login_manager, migrate, talisman
from bazaar.i18n import (
    N_,
    format_digits,
    install_template_gettext,
    register_filters,
    select_locale,
)
from bazaar.models.types import render_migration_item
from bazaar.services.catalogue_version import watch_catalogue_changes
from bazaar.text import strip_controls

# Keys that must never sign sessions outside a test run.
KNOWN_KEYS = {"dev", "development", "secret", "changeme", "change-me", "test", "insecure"}


def register_config(app, test_config):
    """Layer configuration: defaults, instance/config.py, FLASK_* env vars, the test mapping."""
    app.config.from_object(default_config)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("FLASK")
    if test_config is not None:
        app.config.from_mapping(test_config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        path = Path(app.instance_path) / "bazaar.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A local file needs no liveness ping before each checkout (a server connection does).
        options = dict(app.config["SQLALCHEMY_ENGINE_OPTIONS"])
        options.pop("pool_pre_ping", None)
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = options
    uploads = app.config["UPLOADS_DIR"] or Path(app.instance_path) / "uploads"
    app.config["UPLOADS_DIR"] = str(uploads)
    if app.config["REDIS_URL"]:
        _share_through_redis(app.config)
    app.config["SECRET_KEY"] = _secret_key(app)
    app.config["TRUSTED_HOSTS"] = _trusted_hosts(app.config)


def _trusted_hosts(config):
    # The public address always answers; an empty list would let every Host in.
    hosts = list(config.get("TRUSTED_HOSTS") or ())
    public = urlsplit(config["PUBLIC_BASE_URL"]).hostname
    if hosts and public and public not in hosts:
        hosts.append(public)
    return hosts or None


def _share_through_redis(config):
    """Keep what several app servers must agree on in Redis: rate limits and cached pages."""
    config["RATELIMIT_STORAGE_URI"] = config["REDIS_URL"]
    config["CACHE_TYPE"] = "RedisCache"
    config["CACHE_REDIS_URL"] = config["REDIS_URL"]
    config.setdefault("CACHE_KEY_PREFIX", "bazaar:")


def _secret_key(app):
    key = app.config.get("SECRET_KEY")
    if key:
        if not app.config.get("TESTING") and (key.lower() in KNOWN_KEYS or len(key) < 16):
            raise RuntimeError("SECRET_KEY is a known or short value; refusing to start.")
        return key
    # No key configured: generate one into instance/ once and reuse it on every start.
    path = Path(app.instance_path) / "secret_key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def register_logging(app):
    """A request id on every response and log line; text or JSON lines (LOG_FORMAT)."""
    logs.init_app(app)


def register_metrics(app):
    """Prometheus figures on /metrics for the allowed addresses."""
    metrics.init_app(app)


def register_extensions(app):
    """Bind the extensions created unbound in extensions.py."""
    from bazaar import models  # noqa: F401  (registers every table with the metadata)

    db.init_app(app)
    migrate.init_app(
        app,
        db,
        directory=str(Path(app.root_path).parent / "migrations"),
        render_item=render_migration_item,
        include_object=include_in_migrations,
        compare_type=True,
    )
    csrf.init_app(app)
    limiter.init_app(app)
    cache.init_app(app)


def register_caches(app):
    """Keep the catalogue version current, so caches keyed by it are never stale."""
    watch_catalogue_changes()


def register_database(app):
    """Configure every SQLite connection (WAL, busy timeout, foreign keys, BEGIN IMMEDIATE)."""
    with app.app_context():
        for engine in db.engines.values():
            if engine.dialect.name == "sqlite":
                register_sqlite_pragmas(engine)


def register_i18n(app):
    """Persian first, English second: locale selection and the display filters."""
    babel.init_app(app, locale_selector=select_locale)
    install_template_gettext(app)
    register_filters(app)


# A parameter name no form of ours has: absurdly long, or with a number longer than any row
# index (WTForms reads `rows-<n>-field` with int(), which refuses 4,300 digits with a 500).
_ABSURD_NAME = re.compile(r"\d{7,}|^.{200,}$", re.S)


class CleanParameters(ImmutableMultiDict):
    """Query-string and form values without NUL and other control characters.

    The one place every parameter of a request passes through: text from a client never
    carries a NUL byte (PostgreSQL refuses it) or an invisible control into the database, and a
    parameter whose name no form could have is dropped.
    """

    def __init__(self, mapping=None):
        if mapping is None:
            super().__init__()
            return
        super().__init__(
            (strip_controls(key), strip_controls(value, keep_lines=True))
            if isinstance(value, str)
            else (key, value)
            for key, value in iter_multi_items(mapping)
            if not _ABSURD_NAME.search(key)
        )


class BazaarRequest(Request):
    parameter_storage_class = CleanParameters

    @property
    def max_content_length(self):
        """MAX_CONTENT_LENGTH, or the larger limit config LARGER_UPLOADS gives this endpoint."""
        larger = upload_limit(self)
        if larger is not None and self._max_content_length is None:
            return larger + 1024 * 1024
        return Request.max_content_length.fget(self)

    @max_content_length.setter
    def max_content_length(self, value):
        Request.max_content_length.fset(self, value)


def upload_limit(req):
    """Return the larger file limit of the request's endpoint, or None (the app's default)."""
    key = current_app.config["LARGER_UPLOADS"].get(req.endpoint) if current_app else None
    return None if key is None else current_app.config[key]


class SessionInterface(SecureCookieSessionInterface):
    """Flask's signed-cookie session, marked Secure whenever the request came over HTTPS."""

    def get_cookie_secure(self, app):
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def register_security(app):
    """Proxies, trusted hosts, clean parameters, headers, session cookie, sign-in."""
    proxies = {
        name: int(app.config[f"PROXY_FIX_{name.upper()}"])
        for name in ("x_for", "x_proto", "x_host", "x_port", "x_prefix")
    }
    if any(proxies.values()):
        app.wsgi_app = ProxyFix(app.wsgi_app, **proxies)
    app.request_class = BazaarRequest
    app.session_interface = SessionInterface()
    talisman.init_app(
        app,
        force_https=app.config["FORCE_HTTPS"],
        session_cookie_secure=False,
        session_cookie_samesite=app.config["SESSION_COOKIE_SAMESITE"],
        frame_options="SAMEORIGIN",
        referrer_policy="strict-origin-when-cross-origin",
        content_security_policy={
            "default-src": "'self'",
            # Bootstrap draws its small icons (menu, select arrows) as data: SVG images.
            "img-src": "'self' data:",
            "object-src": "'none'",
            "base-uri": "'none'",
            "frame-ancestors": "'self'",
            "form-action": "'self'",
        },
    )
    from bazaar.services.sessions import load_user

    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "accounts.login_form"
    login_manager.login_message = N_("Please sign in to open this page.")
    login_manager.localize_callback = gettext
    login_manager.login_message_category = "info"


def register_static(app):
    """Serve the built static files (hashed, compressed, cached for a year) when built."""
    assets.init_app(app)


def register_inputs(app):
    """Read numbers from URLs, query strings and forms one way (bazaar/inputs.py)."""
    inputs.register(app)


def register_blueprints(app):
    """Mount one blueprint per domain."""
    from bazaar.accounts import bp as accounts_bp
    from bazaar.admin import bp as admin_bp
    from bazaar.audit import bp as audit_bp
    from bazaar.bazaars import bp as bazaars_bp
    from bazaar.catalogue import bp as catalogue_bp
    from bazaar.committees import bp as committees_bp
    from bazaar.followups import bp as followups_bp
    from bazaar.health import bp as health_bp
    from bazaar.imports import bp as imports_bp
    from bazaar.main import bp as main_bp
    from bazaar.notifications import bp as notifications_bp
    from bazaar.plan import bp as plan_bp
    from bazaar.reference import bp as reference_bp
    from bazaar.restrictions import bp as restrictions_bp
    from bazaar.stalls import bp as stalls_bp
    from bazaar.statistics import bp as statistics_bp
    from bazaar.vendors import bp as vendors_bp

    for blueprint in (
        main_bp,
        health_bp,
        accounts_bp,
        admin_bp,
        notifications_bp,
        vendors_bp,
        catalogue_bp,
        imports_bp,
        reference_bp,
        bazaars_bp,
        restrictions_bp,
        stalls_bp,
        committees_bp,
        followups_bp,
        statistics_bp,
        plan_bp,
        audit_bp,
    ):
        app.register_blueprint(blueprint)


def register_errors(app):
    """Answer errors with a page in the site's layout and language.

    Domain errors a view does not handle itself are answered here, once for the whole app:
    NotFound is the 404 page, TooLarge the 413 page, Throttled the 429 page; any other rule
    refusal is flashed, and a form post goes back to the page it came from (a GET shows the
    message on the 400 page, since going back could loop).
    """

    def render_error(error):
        code = error.code if isinstance(error, HTTPException) else 500
        if code >= 500:
            db.session.rollback()
        message = None
        if code == 413 and upload_limit(request) is not None:
            size = upload_limit(request) // (1024 * 1024)
            message = gettext("Files here may be at most %(size)s MB.", size=format_digits(size))
        return render_template("errors/error.html", code=code, message=message), code

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.register_error_handler(code, render_error)

    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        # A Host outside TRUSTED_HOSTS: no URL can be built for it, so no page in the layout.
        return "Bad Request: unknown host", 400, {"Content-Type": "text/plain; charset=utf-8"}

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_template("errors/error.html", code=400, csrf=True), 400

    @app.errorhandler(DomainError)
    def domain_error(error):
        db.session.rollback()
        code = {NotFound: 404, TooLarge: 413, Throttled: 429}.get(type(error))
        if code is not None:
            return render_template("errors/error.html", code=code, message=error.message), code
        if request.method in ("GET", "HEAD"):
            return render_template("errors/error.html", code=400, message=error.message), 400
        flash(error.message, "danger")
        return redirect(referrer_path(default=request.path))


def register_api(app):
    """Serve the JSON API v1 under /api/v1 (after register_errors: it wraps their handlers)."""
    from bazaar import api

    api.register(app)


def register_tasks(app):
    """Create the task queue (Huey) and its tasks: the background jobs and periodic jobs."""
    from bazaar.tasks import register_tasks as register

    register(app)


def register_cli(app):
    """Add the `flask` commands."""
    from bazaar.cli import commands

    for command in commands:
        app.cli.add_command(command)
