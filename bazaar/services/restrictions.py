"""Gathering restrictions: record an authority's decision, set its end, lift it, list them.

Every change here ends by calling the gate (`bazaars.gate.sync_holds`) in the same
transaction. The gate itself lives with the bazaars, not here: what it changes is bazaars
(their holds, history, interest lists and stalls), and publishing, editing or rescheduling a
bazaar, or the daily run, must call it too, with no restriction changing at all.
"""

from dataclasses import dataclass

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import Region, Restriction
from bazaar.services import images
from bazaar.services.audit import record_audit
from bazaar.services.bazaars.gate import sync_holds


@dataclass
class RestrictionData:
    body: str
    reference: str
    decided_on: object
    region_id: int | None
    starts_on: object
    ends_on: object = None
    note: str = ""


def _check_restriction(data):
    if not (data.body or "").strip():
        raise Invalid("restriction.body_required", field="body")
    if not (data.reference or "").strip():
        raise Invalid("restriction.reference_required", field="reference")
    if data.decided_on is None:
        raise Invalid("restriction.date_required", field="decided_on")
    if data.starts_on is None:
        raise Invalid("restriction.date_required", field="starts_on")
    if data.ends_on is not None and data.ends_on < data.starts_on:
        raise Invalid("restriction.end_before_start", field="ends_on")
    if data.region_id is not None:
        region = db.session.get(Region, data.region_id)
        if region is None or region.kind != "county":
            raise Invalid("vendor.bad_county", field="region_id")


def record_restriction(actor, data, *, now, document_data=None):
    """Record an authority's decision; bazaars it covers become held at once."""
    _check_restriction(data)
    document = None
    if document_data:
        document = images.store_document(document_data)
    try:
        with write_transaction():
            restriction = Restriction(
                body=data.body.strip(),
                reference=data.reference.strip(),
                decided_on=data.decided_on,
                region_id=data.region_id,
                starts_on=data.starts_on,
                ends_on=data.ends_on,
                note=(data.note or "").strip(),
                document=document,
                created_at=now,
                created_by_id=actor.id if actor else None,
            )
            db.session.add(restriction)
            record_audit(
                "restriction.record",
                restriction,
                actor=actor,
                now=now,
                reference=restriction.reference,
            )
            sync_holds(now=now, actor=actor)
    except Exception:
        if document:
            images.delete_image("documents", document)
        raise
    return restriction


def get_restriction(restriction_id):
    """Return a restriction, or raise NotFound."""
    restriction = db.session.get(Restriction, restriction_id)
    if restriction is None:
        raise NotFound("restriction.not_found")
    return restriction


def lift_restriction(actor, restriction_id, *, now, reason=None):
    """Lift a restriction now: every bazaar only it held is released in this transaction."""
    with write_transaction():
        restriction = get_restriction(restriction_id)
        if restriction.lifted_at is not None:
            raise Conflict("restriction.already_lifted")
        restriction.lifted_at, restriction.lifted_by_id = now, actor.id if actor else None
        record_audit("restriction.lift", restriction, actor=actor, now=now, reason=reason)
        released = sync_holds(now=now, actor=actor)
    return released


def set_restriction_end(actor, restriction_id, ends_on, *, now):
    """Set (or change) the day a restriction ends; release happens when that day has passed."""
    with write_transaction():
        restriction = get_restriction(restriction_id)
        if restriction.lifted_at is not None:
            raise Conflict("restriction.already_lifted")
        if ends_on is None or ends_on < restriction.starts_on:
            raise Invalid("restriction.end_before_start", field="ends_on")
        previous, restriction.ends_on = restriction.ends_on, ends_on
        record_audit(
            "restriction.set_end",
            restriction,
            actor=actor,
            now=now,
            old=previous.isoformat() if previous else None,
            new=ends_on.isoformat(),
        )
        released = sync_holds(now=now, actor=actor)
    return released


def list_restrictions():
    """Every restriction on record, newest decision first (nothing is ever deleted)."""
    query = db.select(Restriction).order_by(Restriction.decided_on.desc(), Restriction.id.desc())
    return db.session.scalars(query).all()


def all_restrictions():
    """Every restriction on record, in no particular order (what a derived status reads)."""
    return db.session.scalars(db.select(Restriction)).all()
