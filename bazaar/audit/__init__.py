"""The audit log, for organisers and admins."""

from bazaar.audit.views import bp

__all__ = ["bp"]
