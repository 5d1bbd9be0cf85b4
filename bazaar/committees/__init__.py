"""Committees: their mandate and members, meetings, decisions and the follow-ups they create."""

from bazaar.committees import agencies, invitations  # noqa: F401 (they register routes)
from bazaar.committees.views import bp

__all__ = ["bp"]
