"""Errors of the API as application/problem+json (RFC 9457), in the reader's language.

Every error under /api answers here, never with an HTML page: HTTP errors (routing, methods,
limits), validation errors of the marshmallow schemas (with one entry per field), the rule
refusals of the services (DomainError), and anything unexpected (a 500 without details).
`type` is a stable URI per kind of problem: /api/v1/problems/<slug>.
"""

import json

from flask import current_app, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from bazaar.errors import Conflict, DomainError, Invalid, NotFound, Throttled, TooLarge
from bazaar.extensions import db

PREFIX = "/api/"
MEDIA_TYPE = "application/problem+json"

HTTP_TITLES = {
    400: ("bad-request", _l("The request is not valid.")),
    401: ("unauthorized", _l("A valid access token is needed.")),
    403: ("forbidden", _l("Your account may not do this.")),
    404: ("not-found", _l("Nothing was found at this address.")),
    405: ("method-not-allowed", _l("This address does not accept this method.")),
    406: ("not-acceptable", _l("This address only answers in JSON.")),
    409: ("conflict", _l("The action conflicts with the current state.")),
    413: ("too-large", _l("The request is too large.")),
    415: ("unsupported-media-type", _l("Send the request body as JSON.")),
    422: ("validation", _l("Some values are not valid.")),
    429: ("rate-limited", _l("Too many requests. Wait a little and try again.")),
    500: ("server-error", _l("Something went wrong on our side.")),
}
DOMAIN_STATUS = (
    (NotFound, 404),
    (Invalid, 422),
    (Conflict, 409),
    (Throttled, 429),
    (TooLarge, 413),
)
FIELD_MESSAGES = {
    "Missing data for required field.": _l("This field is required."),
    "Not a valid integer.": _l("Enter a whole number."),
    "Unknown field.": _l("This field is not expected here."),
    "Field may not be null.": _l("This field is required."),
    "Not a valid string.": _l("Enter text."),
    "Not a valid list.": _l("Enter a list."),
    "Not a valid date.": _l("Enter a date such as 2026-12-10."),
    "Invalid input type.": _l("The request body must be a JSON object."),
}


def is_api_request():
    """Tell whether the request is for the API (its errors are problem documents)."""
    return request.path.startswith(PREFIX)


def type_uri(slug):
    """Return the stable `type` URI of a kind of problem."""
    return f"/api/v1/problems/{slug}"


def problem(status, slug, title, detail=None, *, errors=None, headers=None):
    """Return a problem+json response; `errors` lists {field, location, message}."""
    body = {"type": type_uri(slug), "title": str(title), "status": status}
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = errors
    response = current_app.response_class(
        json.dumps(body, ensure_ascii=False), status=status, mimetype=MEDIA_TYPE
    )
    response.headers.update(headers or {})
    return response


def _field_message(message):
    if isinstance(message, dict):  # a nested field or a list item: take its first message
        return _field_message(next(iter(message.values()), ""))
    if isinstance(message, list):
        return _field_message(message[0] if message else "")
    known = FIELD_MESSAGES.get(str(message))
    if known is not None:
        return str(known)
    return _("This value is not valid here.")


def _field_errors(messages):
    """Flatten webargs' {location: {field: [messages]}} into a list of field errors."""
    errors = []
    for location, fields in (messages or {}).items():
        if not isinstance(fields, dict):
            fields = {"_schema": fields}
        for field, message in fields.items():
            errors.append(
                {"field": str(field), "location": location, "message": _field_message(message)}
            )
    return errors


def from_http_error(error):
    """Answer an HTTP error (routing, methods, limits, webargs' 422) as a problem."""
    code = error.code or 500
    if code >= 500:
        db.session.rollback()
        if isinstance(error, InternalServerError) and error.original_exception is not None:
            current_app.logger.error("API error", exc_info=error.original_exception)
    slug, title = HTTP_TITLES.get(code, ("http-error", error.name))
    data = getattr(error, "data", None) or {}
    headers = dict(data.get("headers") or {})
    if code == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    if code == 429:
        headers.setdefault("Retry-After", str(_retry_after(error)))
    errors = _field_errors(data.get("messages")) if code == 422 else None
    return problem(code, slug, title, errors=errors, headers=headers)


def _retry_after(error):
    limit = getattr(error, "limit", None)
    seconds = getattr(getattr(limit, "limit", None), "get_expiry", lambda: 60)()
    return max(int(seconds), 1)


def from_domain_error(error):
    """Answer a service's refusal: 404, 409, 413, 422 (naming the field), 429 or 400."""
    db.session.rollback()
    status = next((code for kind, code in DOMAIN_STATUS if isinstance(error, kind)), 400)
    field = error.params.get("field")
    errors = (
        [{"field": field, "location": "json", "message": error.message}]
        if field and status == 422
        else None
    )
    headers = {"Retry-After": "60"} if status == 429 else None
    title = HTTP_TITLES.get(status, HTTP_TITLES[400])[1]
    return problem(status, error.code, title, error.message, errors=errors, headers=headers)


def register(app):
    """Answer every error under /api with a problem; leave the site's pages to their handlers.

    The site's handlers (setup.register_errors) stay in place for every other path: each is
    wrapped so that an API request reaches the problem instead.
    """
    spec = app.error_handler_spec.setdefault(None, {})
    for handlers in spec.values():
        for kind, handler in list(handlers.items()):
            handlers[kind] = _for_api_or(handler, kind)
    for kind in (HTTPException, DomainError, Exception):
        if kind not in spec.get(None, {}):
            app.register_error_handler(kind, _for_api_or(None, kind))


def _for_api_or(page_handler, kind):
    def handle(error):
        if is_api_request():
            if isinstance(error, DomainError):
                return from_domain_error(error)
            if isinstance(error, HTTPException):
                return from_http_error(error)
            return from_http_error(InternalServerError(original_exception=error))
        if page_handler is None:
            if isinstance(error, HTTPException):
                return error
            raise error
        return page_handler(error)

    return handle
