"""Changes a verified vendor makes to reviewed fields: held for the organisers, then decided.

Until an organiser approves a change, the vendor's columns keep the last verified values, so
the catalogue, search, JSON-LD and the stall-paper check all go on reading those.
"""

from flask_babel import lazy_gettext as _l

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.i18n import is_persian
from bazaar.models import ChangeStatus, Field, VendorChange
from bazaar.services.audit import record_audit
from bazaar.services.notifications import notify_user
from bazaar.services.vendors.records import (
    REVIEWED_FIELDS,
    apply_profile,
    clean_profile,
    current_values,
    from_json,
    to_json,
)

FIELD_LABELS = {
    "business_name": _l("Business name"),
    "field_id": _l("Field (رشته)"),
    "licence_number": _l("Licence number"),
    "licence_body": _l("Issued by"),
    "licence_kind": _l("Licence kind"),
    "licence_issued_on": _l("Licence issued on"),
    "licence_expires_on": _l("Licence expires on"),
    "health_id": _l("Health ID (شناسه بهداشتی)"),
    "health_id_expires_on": _l("Health ID expires on"),
}


class ShownLabels:
    """Field labels that print themselves as a list in the current language."""

    def __init__(self, keys):
        self.keys = [key for key in REVIEWED_FIELDS if key in keys]

    def __str__(self):
        return ("، " if is_persian() else ", ").join(str(FIELD_LABELS[k]) for k in self.keys)


def stage_change(vendor, proposed, *, actor, now):
    """Hold `proposed` ({field: value}) as the vendor's one pending change (none if empty).

    A newer proposal replaces an undecided one, so organisers never approve values they did
    not see: a decision names the change it was made on.
    """
    pending = vendor.pending_change
    encoded = to_json(proposed)
    if pending is not None and pending.proposed == encoded:
        return pending
    if pending is not None:
        pending.status, pending.decided_at = ChangeStatus.WITHDRAWN.value, now
        db.session.flush()
        record_audit("vendor.change_withdraw", vendor, actor=actor, now=now, change=pending.id)
    change = None
    if proposed:
        change = VendorChange(vendor_id=vendor.id, proposed=encoded, created_at=now)
        db.session.add(change)
        db.session.flush()
        record_audit("vendor.change_propose", vendor, actor=actor, now=now, fields=sorted(proposed))
    db.session.expire(vendor, ["pending_change"])
    return change


def _get_pending_change(change_id):
    change = db.session.get(VendorChange, change_id)
    if change is None:
        raise NotFound("vendor.change_not_found")
    if change.status != ChangeStatus.PENDING:
        raise Conflict("vendor.change_decided")
    return change


def _close(change, status, actor, now, reason=None):
    change.status, change.reason = status.value, reason
    change.decided_at, change.decided_by_id = now, actor.id
    db.session.flush()
    db.session.expire(change.vendor, ["pending_change"])


def approve_change(actor, change_id, *, now):
    """Apply a vendor's pending change to their verified profile and tell them."""
    with write_transaction():
        change = _get_pending_change(change_id)
        vendor = change.vendor
        proposed = from_json(change.proposed)
        clean = clean_profile({**current_values(vendor), **proposed})
        old = to_json({key: getattr(vendor, key) for key in proposed})
        apply_profile(vendor, {key: clean[key] for key in proposed}, now)
        _close(change, ChangeStatus.APPROVED, actor, now)
        record_audit(
            "vendor.change_approve", vendor, actor=actor, now=now, old=old, new=change.proposed
        )
        if vendor.user is not None:
            notify_user(
                vendor.user,
                "vendor_change_approved",
                now=now,
                business=vendor.business_name,
                fields=ShownLabels(proposed),
            )
    return change


def return_change(actor, change_id, *, reason, now):
    """Send a vendor's pending change back with a reason; the verified values stay."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("vendor.reason_required", field="reason")
    with write_transaction():
        change = _get_pending_change(change_id)
        vendor = change.vendor
        _close(change, ChangeStatus.RETURNED, actor, now, reason=reason[:500])
        record_audit("vendor.change_return", vendor, actor=actor, now=now, reason=reason)
        if vendor.user is not None:
            notify_user(
                vendor.user,
                "vendor_change_returned",
                now=now,
                business=vendor.business_name,
                fields=ShownLabels(change.proposed),
                reason=reason,
            )
    return change


def change_rows(vendor, change):
    """Return [(field, verified value, proposed value)] of a change; fields as Field rows."""
    proposed = from_json(change.proposed)
    rows = []
    for key in REVIEWED_FIELDS:
        if key not in proposed:
            continue
        old, new = getattr(vendor, key), proposed[key]
        if key == "field_id":
            old, new = db.session.get(Field, old), db.session.get(Field, new)
        rows.append((key, old, new))
    return rows


def find_latest_change(vendor):
    """Return the vendor's latest pending or decided change (not a replaced one), or None."""
    return db.session.scalar(
        db.select(VendorChange)
        .where(
            VendorChange.vendor_id == vendor.id,
            VendorChange.status != ChangeStatus.WITHDRAWN.value,
        )
        .order_by(VendorChange.id.desc())
        .limit(1)
    )


def count_pending_changes():
    """Return how many vendors have a change waiting for review."""
    return db.session.scalar(
        db.select(db.func.count(VendorChange.id)).where(
            VendorChange.status == ChangeStatus.PENDING.value
        )
    )
