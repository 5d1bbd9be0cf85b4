"""Bazaars: public pages, calendar and feeds (views.py), and organisers' planning (manage.py)."""

from bazaar.bazaars import manage, series_pages, views  # noqa: F401 (importing them registers the routes)
from bazaar.bazaars.blueprint import bp

__all__ = ["bp"]
