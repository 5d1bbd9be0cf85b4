"""The models, one module per domain; importing this registers them all with the metadata."""

from bazaar.models.accounts import LoginThrottle, Role, User
from bazaar.models.audit import AuditEntry
from bazaar.models.bazaars import (
    AllocationMode,
    Bazaar,
    CategoryCap,
    Interest,
    Series,
    StallType,
    Status,
    StatusChange,
)
from bazaar.models.catalogue import Availability, Counter, Favourite, Follow, Product, ProductPhoto
from bazaar.models.committees import Agency, Committee, Decision, Meeting
from bazaar.models.followups import FollowUp, FollowUpEvent, FollowUpStatus, Reminder
from bazaar.models.imports import ImportJob, ImportState
from bazaar.models.notifications import Channel, Delivery, Message
from bazaar.models.reference import Category, Field, Region
from bazaar.models.restrictions import Hold, Lock, Restriction
from bazaar.models.stalls import Application, AppState
from bazaar.models.statistics import Snapshot
from bazaar.models.vendors import (
    ChangeStatus,
    LicenceKind,
    PaperWarning,
    Vendor,
    VendorChange,
    VendorStatus,
)

__all__ = [
    "Agency",
    "AllocationMode",
    "AppState",
    "Application",
    "AuditEntry",
    "Availability",
    "Bazaar",
    "Category",
    "CategoryCap",
    "ChangeStatus",
    "Channel",
    "Committee",
    "Counter",
    "Decision",
    "Delivery",
    "Favourite",
    "Field",
    "Follow",
    "FollowUp",
    "FollowUpEvent",
    "FollowUpStatus",
    "Hold",
    "ImportJob",
    "ImportState",
    "Interest",
    "LicenceKind",
    "Lock",
    "LoginThrottle",
    "Meeting",
    "Message",
    "PaperWarning",
    "Product",
    "ProductPhoto",
    "Region",
    "Reminder",
    "Restriction",
    "Role",
    "Series",
    "Snapshot",
    "StallType",
    "Status",
    "StatusChange",
    "User",
    "Vendor",
    "VendorChange",
    "VendorStatus",
]
