"""The plan's progress: targets, trends, registers, past plans, the public page, council reports."""

from bazaar.plan import public, registers, reports, views  # noqa: F401  (their routes)
from bazaar.plan.blueprint import bp

__all__ = ["bp"]
