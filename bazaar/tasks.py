"""The background jobs: what the task queue runs, and the one list of periodic jobs.

`flask worker` runs the queue's consumer, which runs each periodic job every minute; `flask
tick` runs every periodic job once (for cron, or by hand). Both read PERIODIC_JOBS. Every job
is safe to run twice at once (two consumers, or a consumer and a `flask tick`): releases take
the gate's lock, the outbox claims each message before sending it, and the other jobs write
in one write transaction that reads again under the lock.
"""

from collections import namedtuple

from huey import crontab

from bazaar.models.types import utcnow
from bazaar.queue import make_huey
from bazaar.services import imports, notifications, search_index, stalls, vendors
from bazaar.services.bazaars import gate
from bazaar.services.followups import service as followups
from bazaar.services.plan import snapshots as plan_snapshots

Job = namedtuple("Job", "name run")


def _sent(now):
    counts = notifications.send_due_messages(now)
    return f"sent {counts['sent']}, retry {counts['retry']}, failed {counts['failed']}"


def _monthly_snapshot(now):
    snapshot = plan_snapshots.take_monthly(now=now)
    return snapshot.id if snapshot else "-"


# In this order: a release or an expiry queues messages that the outbox then sends at once.
PERIODIC_JOBS = (
    Job("released", lambda now: len(gate.sync_holds(now=now))),
    Job("expired", lambda now: stalls.expire_due(now=now)),
    Job("confirmation reminders", lambda now: stalls.remind_to_confirm(now=now)),
    Job("paper warnings", lambda now: vendors.warn_about_papers(now=now)),
    Job("follow-up reminders", lambda now: followups.remind(now=now)),
    Job("outbox", _sent),
    Job("monthly snapshot", _monthly_snapshot),
    Job("stale imports", lambda now: imports.reap_stale_jobs(now)),
    Job(
        "search statistics",
        lambda now: search_index.refresh_statistics(full=False) or "refreshed",
    ),
)


def run_periodic_jobs(now=None):
    """Run every periodic job once; return (name, outcome) pairs."""
    return [(job.name, job.run(now or utcnow())) for job in PERIODIC_JOBS]


def register_tasks(app):
    """Create the app's task queue and define its tasks on it."""
    huey = make_huey(app.config, app.instance_path)

    def in_app(func):
        # Each task runs in its own app context: its own database session, the app's config.
        def run(*args):
            with app.app_context():
                return func(*args)

        run.__name__ = func.__name__
        return run

    tasks = {}
    for job in PERIODIC_JOBS:
        name = "periodic: " + job.name
        tasks[name] = huey.periodic_task(crontab(minute="*"), name=name)(
            in_app(lambda job=job: job.run(utcnow()))
        )
    tasks["import"] = huey.task(name="import")(
        in_app(lambda job_id: imports.run_import_job(job_id, clock=utcnow))
    )
    app.extensions["huey"] = huey
    app.extensions["tasks"] = tasks
