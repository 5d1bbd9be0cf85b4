"""The models, one module per domain; importing this registers them all with the metadata."""

from bazaar.models.accounts import LoginThrottle, Role, User
from bazaar.models.audit import AuditEntry
from bazaar.models.catalogue import Availability, Counter, Favourite, Follow, Product, ProductPhoto
from bazaar.models.notifications import Channel, Delivery, Message
from bazaar.models.reference import Category, Field, Region
from bazaar.models.vendors import LicenceKind, PaperWarning, Vendor, VendorStatus

__all__ = [
    "AuditEntry",
    "Availability",
    "Category",
    "Channel",
    "Counter",
    "Delivery",
    "Favourite",
    "Field",
    "Follow",
    "LicenceKind",
    "LoginThrottle",
    "Message",
    "PaperWarning",
    "Product",
    "ProductPhoto",
    "Region",
    "Role",
    "User",
    "Vendor",
    "VendorStatus",
]
