"""Request limits read from the configuration: per client address and per target."""

from flask import current_app

from bazaar.extensions import limiter


def configured(name):
    """Return a limit value that Flask-Limiter reads from the configuration on each request."""
    return lambda: current_app.config[name]


def per_client(name):
    """Limit a view per client address with the configured limit `name`."""
    return limiter.limit(configured(name))


def per_target(name, target):
    """Limit a view per target (what `target()` names in the request) with the limit `name`.

    Requests that name no target are not counted here (their form is refused anyway).
    """
    return limiter.limit(
        configured(name),
        key_func=lambda: f"{name}:{target()}",
        exempt_when=lambda: not target(),
    )
