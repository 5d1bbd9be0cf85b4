"""Accounts: register, sign in and out, passwords."""

from bazaar.accounts.views import bp

__all__ = ["bp"]
