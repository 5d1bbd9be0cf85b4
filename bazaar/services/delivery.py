"""Delivery backends for the outbox: a file per message (default) or SMTP for email."""

import os
import smtplib
import urllib.error
import urllib.parse
import urllib.request
from email.message import EmailMessage
from pathlib import Path

from flask import current_app


class DeliveryError(Exception):
    """The message could not be delivered now; it will be retried."""


def outbox_dir():
    """Return the folder the file backend writes to."""
    return Path(current_app.instance_path) / "outbox"


def deliver(message):
    """Deliver one message through the backend configured for its channel."""
    backend = current_app.config["MAIL_BACKEND" if message.channel == "email" else "SMS_BACKEND"]
    BACKENDS[backend](message)


def list_headers(message):
    """Return the RFC 8058 one-click unsubscribe headers of a message from a list, if any."""
    if not message.list_unsubscribe:
        return {}
    return {
        "List-Unsubscribe": f"<{message.list_unsubscribe}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def deliver_to_file(message):
    """Write the message to instance/outbox/; the same message always lands in the same file."""
    folder = outbox_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{message.id:08d}-{message.channel}.txt"
    headers = "".join(f"{name}: {value}\n" for name, value in list_headers(message).items())
    text = (
        f"To: {message.recipient}\nChannel: {message.channel}\nLanguage: {message.locale}\n"
        f"Subject: {message.subject}\n{headers}\n{message.body}\n"
    )
    partial = path.with_suffix(".part")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
    except OSError as exc:
        raise DeliveryError(str(exc)) from exc


def deliver_by_smtp(message):
    """Send the message as a plain-text UTF-8 email."""
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Subject"] = message.subject
    # A stable Message-ID lets receiving servers drop a copy re-sent after a crash.
    email["Message-ID"] = f"<bazaar-{message.id}@{config['MAIL_FROM'].split('@')[-1]}>"
    for name, value in list_headers(message).items():
        email[name] = value
    email.set_content(message.body)
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=20) as smtp:
            if config["MAIL_USE_TLS"]:
                smtp.starttls()
            if config["MAIL_USERNAME"]:
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(email)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryError(str(exc)) from exc


def deliver_by_http_gateway(message):
    """Send an SMS through the configured HTTP gateway (a form POST with a key, number, text)."""
    config = current_app.config
    params = {
        **config["SMS_GATEWAY_EXTRA_PARAMS"],
        config["SMS_GATEWAY_KEY_PARAM"]: config["SMS_GATEWAY_KEY"] or "",
        config["SMS_GATEWAY_TO_PARAM"]: message.recipient,
        config["SMS_GATEWAY_TEXT_PARAM"]: f"{message.subject}\n{message.body}",
    }
    url = config["SMS_GATEWAY_URL"]
    if not url or not url.startswith(("https://", "http://")):
        raise DeliveryError("SMS_GATEWAY_URL is not set to an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 (the scheme is checked above)
        url, data=urllib.parse.urlencode(params).encode(), method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            if not 200 <= response.status < 300:
                raise DeliveryError(f"gateway answered {response.status}")
    except (OSError, urllib.error.HTTPError) as exc:
        raise DeliveryError(str(exc)) from exc


BACKENDS = {"file": deliver_to_file, "smtp": deliver_by_smtp, "http": deliver_by_http_gateway}
