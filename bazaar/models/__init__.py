"""The models, one module per domain; importing this registers them all with the metadata."""

from bazaar.models.accounts import LoginThrottle, Role, User
from bazaar.models.audit import AuditEntry
from bazaar.models.bazaars import (
    AllocationMode,
    Bazaar,
    CategoryCap,
    Hold,
    Interest,
    Restriction,
    Series,
    StallType,
    Status,
    StatusChange,
)
from bazaar.models.catalogue import Availability, Counter, Favourite, Follow, Product, ProductPhoto
from bazaar.models.notifications import Channel, Delivery, Message
from bazaar.models.reference import Category, Field, Region
from bazaar.models.stalls import Application, AppState
from bazaar.models.vendors import LicenceKind, PaperWarning, Vendor, VendorStatus

__all__ = [
    "AllocationMode",
    "AppState",
    "Application",
    "AuditEntry",
    "Availability",
    "Bazaar",
    "Category",
    "CategoryCap",
    "Channel",
    "Counter",
    "Delivery",
    "Favourite",
    "Field",
    "Follow",
    "Hold",
    "Interest",
    "LicenceKind",
    "LoginThrottle",
    "Message",
    "PaperWarning",
    "Product",
    "ProductPhoto",
    "Region",
    "Restriction",
    "Role",
    "Series",
    "StallType",
    "Status",
    "StatusChange",
    "User",
    "Vendor",
    "VendorStatus",
]
