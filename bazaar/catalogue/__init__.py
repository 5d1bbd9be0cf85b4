"""The catalogue: public browsing and search, and each vendor's own products."""

from bazaar.catalogue.views import bp

__all__ = ["bp"]
