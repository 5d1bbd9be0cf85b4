"""Who calls the API: a bearer token in the Authorization header, never a cookie.

Write endpoints and a user's own data need a live token; the session cookie is never read
here, so a cross-site page cannot act for a signed-in visitor (which is why CSRF tokens are
not asked of the API). Rate limits count per client address and per token.
"""

import hashlib
from functools import wraps

from flask import abort, g, request

from bazaar.extensions import limiter
from bazaar.limits import configured
from bazaar.models.types import utcnow
from bazaar.services import tokens

BEARER = [{"bearerAuth": []}]
BASIC = [{"basicAuth": []}]
SECURITY_SCHEMES = {
    "bearerAuth": {"type": "http", "scheme": "bearer"},
    "basicAuth": {"type": "http", "scheme": "basic"},
}


def bearer_secret():
    """Return the token in `Authorization: Bearer <token>`, or None."""
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    return value.strip() or None if scheme.lower() == "bearer" else None


def current_token():
    """Return the request's live token (cached for the request), or None."""
    if "api_token" not in g:
        g.api_token = tokens.find_token(bearer_secret(), now=utcnow())
    return g.api_token


def api_user():
    """Return the account of the request's token (a view behind `token_required`)."""
    return g.api_token.user


def token_required(blp, *roles):
    """Serve the view only with a live token (401), of an account holding `roles` (403)."""

    def decorate(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            token = current_token()
            if token is None:
                abort(401)
            if roles and not token.user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return blp.doc(security=BEARER)(guarded)

    return decorate


def _token_key():
    secret = bearer_secret() or ""
    return "api-token:" + hashlib.sha256(secret.encode()).hexdigest()[:32]


def limit(blueprint):
    """Limit every view of an API blueprint per client address and per bearer token.

    Call once, where the blueprint is made: the limits stay with the blueprint object, and
    every app built in the process (tests build many) would add them again.
    """
    limiter.limit(configured("API_LIMIT_PER_IP"), key_func=_ip_key)(blueprint)
    limiter.limit(
        configured("API_LIMIT_PER_TOKEN"),
        key_func=_token_key,
        exempt_when=lambda: bearer_secret() is None,
    )(blueprint)
    return blueprint


def _ip_key():
    return f"api-ip:{request.remote_addr}"
