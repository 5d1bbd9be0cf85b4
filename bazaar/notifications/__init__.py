"""Notifications: what the outbox sent a signed-in user, shown in the site."""

from bazaar.notifications.views import bp

__all__ = ["bp"]
