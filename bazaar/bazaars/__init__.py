"""Bazaars: public pages, calendar and feeds, and the organisers' planning pages."""

from bazaar.bazaars.views import bp

__all__ = ["bp"]
