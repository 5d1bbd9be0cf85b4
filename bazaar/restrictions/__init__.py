"""Gathering restrictions: organisers record authorities' decisions and lift them."""

from bazaar.restrictions.views import bp

__all__ = ["bp"]
