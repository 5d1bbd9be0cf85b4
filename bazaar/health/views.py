"""Probes for load balancers and monitors; they read nothing a visitor could not."""

from flask import Blueprint, current_app, jsonify

from bazaar.health.checks import run_checks

bp = Blueprint("health", __name__)

NO_STORE = {"Cache-Control": "no-store"}


@bp.get("/healthz")
def healthz():
    """Answer load balancers and monitors: the app process is up."""
    return "ok", 200, {"Content-Type": "text/plain; charset=utf-8", **NO_STORE}


@bp.get("/readyz")
def readyz():
    """Say whether the app can serve: its database (and Redis, when configured) answer."""
    results, failing = run_checks(current_app)
    body = {"status": "unavailable" if failing else "ok", "failing": failing, "checks": results}
    return jsonify(body), 503 if failing else 200, NO_STORE
