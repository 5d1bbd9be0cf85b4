"""Follow-ups: mine and overdue, one follow-up's page, its comments, status and hand-overs."""

from bazaar.followups.views import bp

__all__ = ["bp"]
