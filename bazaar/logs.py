"""Request ids and log lines: every line a request writes names the request it came from.

A request keeps a sane X-Request-ID from the proxy in front (so its log and ours share one id)
or gets a new one; the response echoes it, error pages show it, and every log record carries
it as `request_id` ("-" outside a request). LOG_FORMAT="json" writes one JSON object a line
(python-json-logger) for a log collector; "text" is for people.
"""

import logging
import re
import sys
import uuid

from flask import g, has_request_context, request
from flask.logging import default_handler
from pythonjsonlogger.json import JsonFormatter

HEADER = "X-Request-ID"
# What a proxy or load balancer sends (UUIDs, hex, nginx's $request_id, AWS trace ids): a
# bounded run of harmless characters, never anything that could forge a log line.
SANE_ID = re.compile(r"[A-Za-z0-9._:=+/-]{8,128}")
TEXT_FORMAT = "%(asctime)s %(levelname)s [%(request_id)s] %(name)s: %(message)s"
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(request_id)s %(message)s"


def current_request_id():
    """Return this request's id, or "-" outside a request."""
    if not has_request_context():
        return "-"
    if "request_id" not in g:
        incoming = request.headers.get(HEADER, "")
        g.request_id = incoming if SANE_ID.fullmatch(incoming) else uuid.uuid4().hex
    return g.request_id


class RequestIdFilter(logging.Filter):
    """Stamp each record with the request id, whichever logger wrote it."""

    def filter(self, record):
        record.request_id = current_request_id()
        return True


class StderrHandler(logging.StreamHandler):
    """Write to whatever sys.stderr is now (test runners and servers swap it)."""

    def __init__(self):
        super().__init__(stream=None)

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value):
        pass


QUIET_LOGGERS = ("weasyprint", "fontTools")


def _formatter(kind):
    if kind == "json":
        return JsonFormatter(JSON_FIELDS, rename_fields={"levelname": "level", "asctime": "time"})
    return logging.Formatter(TEXT_FORMAT)


def init_app(app):
    """Give every request an id, echo it, and log through one handler with it on each line."""
    handler = StderrHandler()
    handler.name = "bazaar"
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(_formatter(app.config["LOG_FORMAT"]))
    root = logging.getLogger()
    # One handler however many apps a process builds (the tests build hundreds).
    for old in [h for h in root.handlers if h.name == "bazaar"]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(app.config["LOG_LEVEL"])
    # Libraries that narrate every step at INFO (WeasyPrint lays out a PDF in a dozen lines).
    for chatty in QUIET_LOGGERS:
        logging.getLogger(chatty).setLevel(max(logging.WARNING, root.level))
    app.logger.removeHandler(default_handler)
    # Alembic's env.py (logging.config.fileConfig) disables every logger that exists when a
    # migration runs in this process; the app's own log must survive that.
    app.logger.disabled = False

    @app.before_request
    def assign_request_id():
        current_request_id()

    @app.after_request
    def echo_request_id(response):
        response.headers[HEADER] = current_request_id()
        return response

    @app.context_processor
    def request_id():
        return {"request_id": current_request_id()}
