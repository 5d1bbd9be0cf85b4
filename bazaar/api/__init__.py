"""The public JSON API v1 (/api/v1): the same services as the pages, described by OpenAPI 3.1.

One flask-smorest blueprint per domain word; `register(app)` mounts them all, with the
problem+json errors (problems.py), bearer tokens and rate limits (auth.py), CORS for public
reads and the documentation page (docs.py).
"""

from bazaar.api.core import register

__all__ = ["register"]
