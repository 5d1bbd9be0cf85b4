"""Progress of long CLI commands on a terminal (and nothing when the output is not one)."""

import sys
from contextlib import contextmanager

import click


@contextmanager
def terminal_progress(label):
    """Yield a `progress(done=, total=, advance=, label=)` callable, or None off a terminal.

    A line redrawn in place: "Checking 15,000/50,000 (30%)". Logs and pipes get nothing.
    """
    if not sys.stdout.isatty():
        yield None
        return
    state = {"done": 0, "total": None, "label": label}

    def progress(done=None, total=None, advance=0, label=None):
        state["done"] = done if done is not None else state["done"] + advance
        state["total"] = total if total is not None else state["total"]
        state["label"] = label or state["label"]
        line = f"{state['label']} {state['done']:,}"
        if state["total"]:
            line += f"/{state['total']:,} ({100 * state['done'] // state['total']}%)"
        click.echo(f"\r\x1b[K{line}", nl=False)

    try:
        yield progress
    finally:
        click.echo("")
