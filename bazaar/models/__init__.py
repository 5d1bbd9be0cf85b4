"""The models, one module per domain; importing this registers them all with the metadata."""

from bazaar.models.accounts import LoginThrottle, Role, User
from bazaar.models.audit import AuditEntry
from bazaar.models.notifications import Channel, Delivery, Message

__all__ = ["AuditEntry", "Channel", "Delivery", "LoginThrottle", "Message", "Role", "User"]
