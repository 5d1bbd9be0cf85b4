"""The task queue (Huey): built from the configuration, one instance per app.

Embedded by default: the queue is a SQLite file in instance/ (TASKS_SQLITE_PATH), so one
server needs nothing more. With REDIS_URL set the queue lives in Redis, and consumers on
several machines share it. Tests run tasks at once, in the caller (TASKS_IMMEDIATE).

This module knows nothing of the services: bazaar/tasks.py defines the tasks, and a service
queues one by name with `enqueue`, after its transaction has committed.
"""

from pathlib import Path

from flask import current_app
from huey import MemoryHuey, RedisHuey, SqliteHuey

NAME = "bazaar"


def make_huey(config, instance_path):
    """Return the Huey instance the configuration asks for."""
    immediate = bool(config.get("TASKS_IMMEDIATE"))
    # No result store: what a task did is in the database (a job's row), and results nobody
    # reads would pile up in the queue's storage.
    if config.get("REDIS_URL") and not immediate:
        return RedisHuey(NAME, results=False, url=config["REDIS_URL"])
    if immediate:
        return MemoryHuey(NAME, results=False, immediate=True)
    path = config.get("TASKS_SQLITE_PATH") or Path(instance_path) / "tasks.sqlite"
    return SqliteHuey(NAME, results=False, filename=str(path))


def get_huey(app=None):
    """Return the app's Huey instance."""
    return (app or current_app).extensions["huey"]


def enqueue(name, *args):
    """Queue the task called `name` with these arguments (run at once in immediate mode)."""
    return current_app.extensions["tasks"][name](*args)


def queue_depth(now=None):
    """Count the tasks waiting in the queue (a readiness check and a metrics gauge)."""
    return get_huey().pending_count()
