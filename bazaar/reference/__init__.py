"""Reference data pages: admins edit fields, categories and regions."""

from bazaar.reference.views import bp

__all__ = ["bp"]
