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
from bazaar.i18n import local_zone
from bazaar.models import Bazaar, Region, Restriction
from bazaar.services import images
from bazaar.services.audit import record_audit
from bazaar.services.bazaars.gate import sync_holds
from bazaar.services.bazaars.rules import covers
from bazaar.services.stalls.listings import count_registered_by_bazaar


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


@dataclass
class Preview:
    """What recording a restriction would do: the bazaars it would hold and who is told."""

    bazaars: list
    vendors: int


def preview_restriction(region_id, starts_on, ends_on, *, now):
    """Say which published, uncancelled bazaars a restriction would hold, and for how many
    registered vendors, before it is recorded (nothing is written)."""
    if starts_on is None:
        raise Invalid("restriction.date_required", field="starts_on")
    if ends_on is not None and ends_on < starts_on:
        raise Invalid("restriction.end_before_start", field="ends_on")
    draft = Restriction(region_id=region_id, starts_on=starts_on, ends_on=ends_on)
    query = (
        db.select(Bazaar)
        .where(Bazaar.published_at.is_not(None), Bazaar.cancelled_at.is_(None))
        .where(Bazaar.ends_at > now)
        .order_by(Bazaar.starts_at, Bazaar.id)
    )
    zone = local_zone()
    held = [b for b in db.session.scalars(query) if covers(draft, b, now, zone)]
    counts = count_registered_by_bazaar([b.id for b in held]) if held else {}
    return Preview(bazaars=held, vendors=sum(counts.values()))


@dataclass
class LiftingData:
    """The decision that lifts a restriction: body, reference number, date (and a document)."""

    body: str
    reference: str
    decided_on: object


def _check_lifting(decision):
    if not (decision.body or "").strip():
        raise Invalid("restriction.body_required", field="body")
    if not (decision.reference or "").strip():
        raise Invalid("restriction.reference_required", field="reference")
    if decision.decided_on is None:
        raise Invalid("restriction.date_required", field="decided_on")


def lift_restriction(
    actor,
    restriction_id,
    *,
    now,
    reason=None,
    decided_by=None,
    reference=None,
    decided_on=None,
    document_data=None,
):
    """Lift a restriction now: every bazaar only it held is released in this transaction.

    The lifting decision (`decided_by` body, `reference`, `decided_on`, an optional document)
    is recorded like the restriction; when none of them is given the restriction is lifted
    without a recorded decision, as callers before the decision existed did.
    """
    decision = None
    if decided_by is not None or reference is not None or decided_on is not None:
        decision = LiftingData(decided_by, reference, decided_on)
        _check_lifting(decision)
    elif document_data:
        raise Invalid("restriction.body_required", field="body")
    document = images.store_document(document_data) if document_data else None
    try:
        with write_transaction():
            restriction = get_restriction(restriction_id)
            if restriction.lifted_at is not None:
                raise Conflict("restriction.already_lifted")
            restriction.lifted_at, restriction.lifted_by_id = now, actor.id if actor else None
            if decision is not None:
                restriction.lift_body = decision.body.strip()
                restriction.lift_reference = decision.reference.strip()
                restriction.lift_decided_on = decision.decided_on
                restriction.lift_document = document
            record_audit(
                "restriction.lift",
                restriction,
                actor=actor,
                now=now,
                reason=reason,
                reference=restriction.lift_reference,
            )
            released = sync_holds(now=now, actor=actor)
    except Exception:
        if document:
            images.delete_image("documents", document)
        raise
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
