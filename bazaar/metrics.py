"""Prometheus metrics on /metrics, for the addresses in METRICS_ALLOWED_IPS only.

prometheus-flask-exporter measures every request: `flask_http_request_duration_seconds`
(a histogram by method, endpoint and status: latency by endpoint, and 5xx answers by their
status label) and `flask_http_request_total` (by method and status). Figures read from the
database when Prometheus scrapes are in GAUGES: the outbox backlog and the age of its oldest
unsent message.

Several gunicorn workers: set PROMETHEUS_MULTIPROC_DIR to an empty folder writable by the
workers (emptied before each start) in the environment of gunicorn, and have gunicorn's
config call `bazaar.metrics.child_exit` from its `child_exit` hook; every worker then writes
its counts there and whichever worker answers a scrape reports the sum of all of them.
"""

import ipaddress
import os
from datetime import UTC, datetime

from flask import abort, request
from prometheus_client import CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.multiprocess import MultiProcessCollector, mark_process_dead
from prometheus_flask_exporter import PrometheusMetrics

from bazaar.extensions import db
from bazaar.queue import queue_depth
from bazaar.services.monitoring import oldest_unsent_age, outbox_backlog

# Gauges read at scrape time: (name, help, function of now).
GAUGES = [
    ("bazaar_task_queue_depth", "Tasks waiting in the task queue", queue_depth),
    ("bazaar_outbox_backlog", "Messages waiting in the outbox", outbox_backlog),
    (
        "bazaar_outbox_oldest_unsent_seconds",
        "Age in seconds of the oldest message not yet sent",
        oldest_unsent_age,
    ),
]


class DatabaseGauges:
    """A collector that reads GAUGES when Prometheus scrapes, inside the scrape's request."""

    def __init__(self, gauges):
        self.gauges = gauges

    def describe(self):
        # Describing would run the queries at registration, outside any app context.
        return []

    def collect(self):
        now = datetime.now(UTC)
        for name, documentation, read in self.gauges:
            yield GaugeMetricFamily(name, documentation, value=read(now))


def is_multiprocess():
    return bool(os.environ.get("PROMETHEUS_MULTIPROC_DIR"))


def child_exit(server, worker):
    """gunicorn's child_exit hook: drop a dead worker's live gauges in multiprocess mode."""
    if is_multiprocess():
        mark_process_dead(worker.pid)


def _allowed_networks(config):
    return [ipaddress.ip_network(entry, strict=False) for entry in config["METRICS_ALLOWED_IPS"]]


def _is_allowed(address, networks):
    # request.remote_addr is the client as ProxyFix (PROXY_FIX_X_FOR) says, not the proxy.
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    # A server listening on IPv6 sees IPv4 clients as ::ffff:a.b.c.d.
    ip = getattr(ip, "ipv4_mapped", None) or ip
    return any(ip in network for network in networks)


def init_app(app):
    """Measure every request and serve /metrics to allowed addresses (404 for the rest)."""
    registry = CollectorRegistry()
    exporter = PrometheusMetrics(app, path=None, group_by="endpoint", registry=registry)
    gauges = DatabaseGauges(GAUGES)
    registry.register(gauges)
    networks = _allowed_networks(app.config)

    @exporter.do_not_track()
    def metrics():
        """Prometheus's scrape: request figures and the database gauges."""
        if not _is_allowed(request.remote_addr, networks):
            abort(404)
        scrape = registry
        if is_multiprocess():
            scrape = CollectorRegistry()
            MultiProcessCollector(scrape)
            scrape.register(gauges)
        body = generate_latest(scrape)
        db.session.rollback()
        return body, 200, {"Content-Type": CONTENT_TYPE_LATEST, "Cache-Control": "no-store"}

    app.add_url_rule("/metrics", "metrics", metrics)
