"""Mount the API: flask-smorest, its blueprints, errors, CSRF, limits, CORS and JSON."""

import http

from flask import request
from flask_smorest import Api
from flask_smorest.utils import prepare_response

from bazaar.api import auth, problems
from bazaar.api.schemas import ProblemSchema
from bazaar.extensions import csrf

DESCRIPTION = """The catalogue, bazaars and statistics of the province's home businesses, and
a vendor's or organiser's own work with a bearer token (POST /api/v1/tokens).

Every error is `application/problem+json` (RFC 9457) in the language of `Accept-Language`
(Persian by default, or English). Lists are paged with an opaque `cursor`: pass the
`next_cursor` of one page to get the next. Money is whole toman; moments are ISO 8601 in
Tehran time with their offset, with a Jalali twin (`*_jalali`) for people."""


class BazaarApi(Api):
    """flask-smorest's Api whose errors are problem documents, for the API's paths only."""

    ERROR_SCHEMA = ProblemSchema

    def _register_error_handlers(self):
        # problems.register answers errors under /api and leaves the pages' handlers alone.
        pass

    def _register_responses(self):
        for status in http.HTTPStatus:
            response = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
            prepare_response(response, self.spec, problems.MEDIA_TYPE)
            self.spec.components.response(status.name, response, lazy=True)
        response = {"description": "A problem (RFC 9457)", "schema": self.ERROR_SCHEMA}
        prepare_response(response, self.spec, problems.MEDIA_TYPE)
        self.spec.components.response("DEFAULT_ERROR", response, lazy=True)


def register(app):
    """Serve /api/v1 and its OpenAPI document; call after the site's error handlers."""
    from bazaar.api import (
        applications,
        bazaars,
        docs,
        products,
        restrictions,
        stats,
        tokens,
        vendors,
    )

    app.config.setdefault("API_TITLE", "Bazaar API")
    app.config.setdefault("API_VERSION", "v1")
    app.config.setdefault("OPENAPI_VERSION", "3.1.0")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api/v1")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    # Persian stays readable in every JSON answer (flask-smorest answers through app.json).
    app.json.ensure_ascii = False
    api = BazaarApi(
        app,
        spec_kwargs={
            "info": {"description": DESCRIPTION},
            "components": {"securitySchemes": auth.SECURITY_SCHEMES},
        },
    )
    for module in (products, vendors, bazaars, stats, tokens, applications, restrictions):
        blueprint = module.blp
        # Cookies never authenticate the API, so the CSRF token (which guards cookies) is not
        # asked; every write needs a bearer token (auth.token_required).
        csrf.exempt(blueprint)
        api.register_blueprint(blueprint)
    app.register_blueprint(docs.bp)
    app.after_request(allow_public_reads)
    problems.register(app)
    return api


def allow_public_reads(response):
    """CORS: any origin may read public GETs; nothing else (no token, no writes) is shared."""
    if not request.path.startswith(problems.PREFIX) or "Authorization" in request.headers:
        return response
    if request.method in ("GET", "HEAD"):
        response.headers["Access-Control-Allow-Origin"] = "*"
    elif (
        request.method == "OPTIONS"
        and request.headers.get("Access-Control-Request-Method") in ("GET", "HEAD")
        and not _asks_for_credentials()
    ):
        response.headers["Access-Control-Allow-Origin"] = "*"
        response.headers["Access-Control-Allow-Methods"] = "GET, HEAD"
        response.headers["Access-Control-Allow-Headers"] = "Accept-Language"
        response.headers["Access-Control-Max-Age"] = "86400"
    return response


def _asks_for_credentials():
    asked = request.headers.get("Access-Control-Request-Headers", "").lower()
    return "authorization" in asked
