"""Who may do what: role decorators, object access, and safe redirect targets."""

import functools
import re
from urllib.parse import unquote, urlsplit

from flask import abort, request, session
from flask_login import current_user, login_required, login_user

from bazaar.extensions import db

# Control characters and backslashes: browsers strip or rewrite them into "//host".
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")


def role_required(*roles):
    """Let only signed-in users with one of `roles` (or admins) through; others get 403."""

    def decorator(view):
        @functools.wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def get_accessible_or_404(model, ident):
    """Load an object the current user may touch, or answer 404 (never 403: no hints)."""
    obj = db.session.get(model, ident)
    if obj is None or not current_user.is_authenticated or not obj.is_accessible_by(current_user):
        abort(404)
    return obj


def is_safe_redirect(target):
    """Tell whether `target` is a path on this site (not //host, /\\host, https:host, …)."""
    if not target:
        return False
    decoded = target
    for _ in range(3):
        if _UNSAFE.search(decoded):
            return False
        decoded = unquote(decoded)
    if _UNSAFE.search(decoded):
        return False
    parts = urlsplit(target)
    return (
        target.startswith("/")
        and not target.startswith("//")
        and not decoded.startswith("//")
        and not parts.scheme
        and not parts.netloc
    )


def safe_next(target, default="/"):
    """Return `target` if it is safe to redirect to, else `default`."""
    return target if is_safe_redirect(target) else default


def referrer_path(default="/"):
    """Return the path of the page this request came from when it is on this site, else default."""
    parts = urlsplit(request.referrer or "")
    if parts.netloc != request.host:
        return default
    path = parts.path + (f"?{parts.query}" if parts.query else "")
    return safe_next(path, default)


def start_session(user):
    """Sign `user` in on a fresh session: nothing from before survives into the signed-in one."""
    session.clear()
    login_user(user)
    session.permanent = True
