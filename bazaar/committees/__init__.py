"""Committees, their meetings, and follow-ups with one responsible person."""

from bazaar.committees.views import bp, followups_bp

__all__ = ["bp", "followups_bp"]
