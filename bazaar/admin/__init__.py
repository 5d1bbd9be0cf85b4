"""Administration: accounts and roles."""

from bazaar.admin.views import bp

__all__ = ["bp"]
