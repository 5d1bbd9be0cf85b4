"""gunicorn settings for `make run` and deployments: `gunicorn -c python:bazaar.gunicorn_conf`.

Command-line options (workers, bind) still apply; this adds what a flag cannot: the hook that
keeps Prometheus's multiprocess figures right when a worker exits (bazaar/metrics.py).
"""

from bazaar.metrics import child_exit  # noqa: F401 (gunicorn reads the hook by its name)

# Each access log line ends with the request id the app answered with (X-Request-ID), so it
# can be matched with the app's own log lines.
access_log_format = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms [%({x-request-id}o)s]'
)
