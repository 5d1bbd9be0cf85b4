"""The organisers' verification decisions and their lists of vendors."""

from datetime import timedelta

from sqlalchemy.orm import selectinload

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid
from bazaar.extensions import db
from bazaar.models import ChangeStatus, Vendor, VendorChange, VendorStatus
from bazaar.services.audit import record_audit
from bazaar.services.listed import relist_products
from bazaar.services.notifications import notify_user
from bazaar.services.stalls import withdraw_vendor
from bazaar.services.vendors.papers import WARN_DAYS
from bazaar.services.vendors.records import get_vendor, profile_version
from bazaar.text import normalize_search

TRANSITIONS = {
    "verify": (
        {VendorStatus.PENDING, VendorStatus.SUSPENDED, VendorStatus.REJECTED},
        VendorStatus.VERIFIED,
    ),
    "reject": ({VendorStatus.PENDING}, VendorStatus.REJECTED),
    "suspend": ({VendorStatus.VERIFIED}, VendorStatus.SUSPENDED),
}
# Decisions that take a vendor's stalls away, with the reason key their applications record.
WITHDRAWS = {"reject": "vendor_rejected", "suspend": "vendor_suspended"}


def decide_vendor(actor, vendor_id, decision, *, reason=None, seen=None, now):
    """Verify, reject (with a reason) or suspend (with a reason) a vendor; tell them.

    `seen`, the profile_version the organiser reviewed, makes verifying refuse a profile the
    vendor changed since. Only verified vendors are public: rejecting or suspending takes
    their products out of the catalogue at once (products' listed flag), withdraws their open
    stall applications and passes their stalls on, in the same transaction; verifying again
    brings none of them back.
    """
    allowed_from, target = TRANSITIONS[decision]
    reason = (reason or "").strip() or None
    if decision in ("reject", "suspend") and not reason:
        raise Invalid("vendor.reason_required", field="reason")
    with write_transaction():
        vendor = get_vendor(vendor_id)
        if vendor.status not in allowed_from:
            raise Conflict("vendor.bad_transition")
        if decision == "verify" and seen is not None and seen != profile_version(vendor):
            raise Conflict("vendor.changed_since_seen")
        previous = vendor.status
        vendor.status, vendor.status_reason = target.value, reason
        vendor.decided_at, vendor.decided_by_id = now, actor.id
        relist_products([vendor.id])
        record_audit(
            f"vendor.{decision}", vendor, actor=actor, now=now, old=previous, reason=reason
        )
        withdrawn = []
        if decision in WITHDRAWS:
            stall_reason = {"key": WITHDRAWS[decision], "text": reason[:300]}
            withdrawn = withdraw_vendor(vendor, stall_reason, now=now, actor=actor)
        if vendor.user is not None:
            # One message: the decision, and the stall applications it withdrew if any.
            notify_user(
                vendor.user,
                f"vendor_{decision}_withdrawn" if withdrawn else f"vendor_{decision}",
                now=now,
                link="/stalls/mine" if withdrawn else None,
                business=vendor.business_name,
                reason=reason or "",
            )
    return vendor


# How an organiser may order the vendor list; the first is the default (oldest waiting first).
SORTS = ("submitted", "name", "newest", "expiry")


def list_vendors(
    *,
    status=None,
    papers=None,
    changes=False,
    q=None,
    county_id=None,
    field_id=None,
    sort="submitted",
    page,
    per_page,
    today,
):
    """Return a page of vendors for organisers, oldest submission (or change) first.

    `q` matches the business or owner's name, the field's name or the description (Persian
    folded like the catalogue's search), the mobile number or the licence number.
    `papers="attention"` keeps vendors whose papers expire within WARN_DAYS or have expired,
    `"expired"` only those expired today; `changes=True` keeps vendors with a change to
    reviewed fields waiting for review. `sort` is one of SORTS.
    """
    query = db.select(Vendor).options(selectinload(Vendor.pending_change))
    if status:
        query = query.where(Vendor.status == status)
    query = _where_papers(query, papers, today)
    if county_id:
        query = query.where(Vendor.county_id == county_id)
    if field_id:
        query = query.where(Vendor.field_id == field_id)
    if q and q.strip():
        query = query.where(_matches(q))
    if changes:
        query = query.join(
            VendorChange,
            db.and_(
                VendorChange.vendor_id == Vendor.id,
                VendorChange.status == ChangeStatus.PENDING.value,
            ),
        ).order_by(VendorChange.created_at)
    query = query.order_by(*_ORDERS.get(sort, _ORDERS["submitted"]))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


_ORDERS = {
    "submitted": (Vendor.submitted_at.is_(None), Vendor.submitted_at, Vendor.id),
    "name": (Vendor.business_name, Vendor.id),
    "newest": (Vendor.created_at.desc(), Vendor.id.desc()),
    "expiry": (
        Vendor.licence_expires_on.is_(None),
        Vendor.licence_expires_on,
        Vendor.id,
    ),
}


def _where_papers(query, papers, today):
    if papers == "attention":
        soon = today + timedelta(days=WARN_DAYS)
        return query.where(
            db.or_(Vendor.licence_expires_on <= soon, Vendor.health_id_expires_on <= soon)
        )
    if papers == "expired":
        return query.where(
            db.or_(Vendor.licence_expires_on < today, Vendor.health_id_expires_on < today)
        )
    return query


def _like(text):
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _matches(q):
    """A vendor whose names, field, mobile or licence number contain the words of `q`."""
    term = normalize_search(q.strip())
    conditions = [Vendor.search_text.like(_like(term), escape="\\")]
    digits = "".join(ch for ch in term if ch.isdigit())
    if len(digits) >= 4:
        conditions.append(Vendor.mobile.like(_like(digits), escape="\\"))
    conditions.append(db.func.lower(Vendor.licence_number).like(_like(term), escape="\\"))
    return db.or_(*conditions)


def count_by_status():
    """Return {status: count} of vendors."""
    rows = db.session.execute(
        db.select(Vendor.status, db.func.count()).group_by(Vendor.status)
    ).all()
    return dict(rows)
