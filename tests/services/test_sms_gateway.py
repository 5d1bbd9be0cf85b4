"""SMS through a configurable HTTP gateway, against a local fake gateway."""

import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from bazaar.database import write_transaction
from bazaar.extensions import db
from bazaar.models import Message
from bazaar.services import notifications


class FakeGateway(BaseHTTPRequestHandler):
    received = []
    status = 200

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        FakeGateway.received.append(urllib.parse.parse_qs(self.rfile.read(length).decode()))
        self.send_response(FakeGateway.status)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway(app):
    FakeGateway.received, FakeGateway.status = [], 200
    server = HTTPServer(("127.0.0.1", 0), FakeGateway)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    app.config.update(
        SMS_BACKEND="http",
        SMS_GATEWAY_URL=f"http://127.0.0.1:{server.server_port}/send",
        SMS_GATEWAY_KEY="secret-key",
        SMS_GATEWAY_EXTRA_PARAMS={"sender": "3000"},
    )
    yield FakeGateway
    server.shutdown()
    server.server_close()
    thread.join()


def queue_sms(now, text="test"):
    with write_transaction():
        notifications.notify_address(
            "sms",
            "09121234567",
            "inquiry",
            now=now,
            sender="a",
            contact="b",
            text=text,
            subject="s",
        )


def test_sms_goes_through_the_gateway_once(app, gateway, now):
    queue_sms(now, "سلام")
    assert notifications.send_due_messages(now)["sent"] == 1
    assert notifications.send_due_messages(now)["sent"] == 0
    (request,) = gateway.received
    assert request["apikey"] == ["secret-key"]
    assert request["receptor"] == ["09121234567"]
    assert request["sender"] == ["3000"]
    assert "سلام" in request["message"][0]


def test_a_failing_gateway_loses_nothing_and_is_retried(app, gateway, now):
    from datetime import timedelta

    gateway.status = 503
    queue_sms(now)
    assert notifications.send_due_messages(now)["retry"] == 1
    message = db.session.scalar(db.select(Message))
    assert message.status == "pending"
    assert "503" in message.last_error
    gateway.status = 200
    assert notifications.send_due_messages(now + timedelta(minutes=2))["sent"] == 1
    assert len(gateway.received) == 2


def test_an_unconfigured_gateway_is_a_retry_not_a_crash(app, now):
    app.config.update(SMS_BACKEND="http", SMS_GATEWAY_URL=None)
    queue_sms(now)
    assert notifications.send_due_messages(now)["retry"] == 1
