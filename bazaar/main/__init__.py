"""The home page and the language switch."""

from bazaar.main.views import bp

__all__ = ["bp"]
