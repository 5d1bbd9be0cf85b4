"""GET /api/v1/docs: the OpenAPI document, readable in a browser (Redoc, vendored)."""

from flask import Blueprint, render_template

from bazaar.extensions import talisman

bp = Blueprint("api_docs_page", __name__, url_prefix="/api/v1")

# Redoc styles its page from script (styled-components adds <style> elements), so this one
# page allows inline styles; scripts stay 'self' only, and nothing loads from elsewhere.
DOCS_POLICY = {
    "default-src": "'self'",
    "style-src": "'self' 'unsafe-inline'",
    "img-src": "'self' data:",
    "worker-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'none'",
    "frame-ancestors": "'self'",
    "form-action": "'self'",
}


@bp.get("/docs")
@talisman(content_security_policy=DOCS_POLICY)
def index():
    """Show the API's OpenAPI document as a readable page."""
    return render_template("api/docs.html")
