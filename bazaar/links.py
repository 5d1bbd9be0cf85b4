"""Absolute links written into messages, always from the configured public base URL.

Never from the request: a forged Host header must not reach a password-reset email.
"""

from urllib.parse import urlsplit

from flask import current_app


def external_url(endpoint, **values):
    """Return the absolute URL of `endpoint` under PUBLIC_BASE_URL (works outside requests)."""
    adapter = current_app.url_map.bind("localhost")
    path = adapter.build(endpoint, values)
    return current_app.config["PUBLIC_BASE_URL"].rstrip("/") + path


def public_host():
    """Return the host name of PUBLIC_BASE_URL (for identifiers such as iCal UIDs)."""
    return urlsplit(current_app.config["PUBLIC_BASE_URL"]).hostname
