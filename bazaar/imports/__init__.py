"""Bulk import of vendors and products from the licence system's CSV lists."""

from bazaar.imports.views import bp

__all__ = ["bp"]
