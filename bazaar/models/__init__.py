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
from bazaar.models.committees import Agency, Committee, Decision, Guest, Meeting
from bazaar.models.followups import FollowUp, FollowUpEvent, FollowUpStatus, Reminder
from bazaar.models.imports import ImportJob, ImportState
from bazaar.models.notifications import Channel, Delivery, Message
from bazaar.models.plan import (
    BazaarVisits,
    CouncilReport,
    EntryKind,
    EntryStatus,
    Obstacle,
    PastPlan,
    PublicDecision,
    PublicFollowUp,
    SnapshotMonth,
    Target,
    TargetRevision,
)
from bazaar.models.reference import Category, Field, Region
from bazaar.models.restrictions import Hold, Lock, Restriction
from bazaar.models.stalls import Application, AppState
from bazaar.models.statistics import Snapshot
from bazaar.models.tokens import ApiToken
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
    "ApiToken",
    "AppState",
    "Application",
    "AuditEntry",
    "Availability",
    "Bazaar",
    "BazaarVisits",
    "Category",
    "CategoryCap",
    "ChangeStatus",
    "Channel",
    "Committee",
    "CouncilReport",
    "Counter",
    "Decision",
    "Delivery",
    "EntryKind",
    "EntryStatus",
    "Favourite",
    "Field",
    "Follow",
    "FollowUp",
    "FollowUpEvent",
    "FollowUpStatus",
    "Guest",
    "Hold",
    "ImportJob",
    "ImportState",
    "Interest",
    "LicenceKind",
    "Lock",
    "LoginThrottle",
    "Meeting",
    "Message",
    "Obstacle",
    "PaperWarning",
    "PastPlan",
    "Product",
    "ProductPhoto",
    "PublicDecision",
    "PublicFollowUp",
    "Region",
    "Reminder",
    "Restriction",
    "Role",
    "Series",
    "Snapshot",
    "SnapshotMonth",
    "StallType",
    "Status",
    "StatusChange",
    "Target",
    "TargetRevision",
    "User",
    "Vendor",
    "VendorChange",
    "VendorStatus",
]
