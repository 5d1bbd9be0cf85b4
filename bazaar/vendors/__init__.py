"""Vendors: a home business's own profile, and the organisers' verification queue."""

from bazaar.vendors.views import bp

__all__ = ["bp"]
