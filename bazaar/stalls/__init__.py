"""Stalls: vendors apply and confirm; organisers allocate, move, remove and export."""

from bazaar.stalls.views import bp

__all__ = ["bp"]
