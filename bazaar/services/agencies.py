"""Agencies of the plan: add, rename, retire (and bring back); never deleted while they have
history (people placed in them, meeting guests from them)."""

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import Agency, Guest, User
from bazaar.services.audit import record_audit


def _names(name_fa, name_en):
    name_fa, name_en = (name_fa or "").strip(), (name_en or "").strip() or None
    if not name_fa:
        raise Invalid("agency.name_required", field="name_fa")
    return name_fa, name_en


def _ensure_unique(name_fa, agency_id=None):
    clash = db.select(Agency.id).where(Agency.name_fa == name_fa, Agency.id != (agency_id or 0))
    if db.session.scalar(clash):
        raise Conflict("committee.agency_exists", field="name_fa")


def save_agency(actor, *, name_fa, name_en=None, now):
    """Add an agency of the plan; its English name is optional (Persian is shown instead)."""
    name_fa, name_en = _names(name_fa, name_en)
    with write_transaction():
        _ensure_unique(name_fa)
        agency = Agency(name_fa=name_fa, name_en=name_en)
        db.session.add(agency)
        record_audit("agency.create", agency, actor=actor, now=now)
    return agency


def get_agency(agency_id):
    """Return the agency, or raise NotFound."""
    agency = db.session.get(Agency, agency_id)
    if agency is None:
        raise NotFound("agency.not_found")
    return agency


def rename_agency(actor, agency_id, *, name_fa, name_en=None, now):
    """Rename an agency; everyone placed in it, and its history, follow the new name."""
    name_fa, name_en = _names(name_fa, name_en)
    with write_transaction():
        agency = get_agency(agency_id)
        _ensure_unique(name_fa, agency.id)
        old = agency.name_fa
        agency.name_fa, agency.name_en = name_fa, name_en
        record_audit("agency.rename", agency, actor=actor, now=now, old=old, new=name_fa)
    return agency


def retire_agency(actor, agency_id, *, retired, now):
    """Retire an agency (it takes no new people; its history stays) or bring it back."""
    with write_transaction():
        agency = get_agency(agency_id)
        agency.retired_at = (agency.retired_at or now) if retired else None
        action = "agency.retire" if retired else "agency.reinstate"
        record_audit(action, agency, actor=actor, now=now)
    return agency


def has_history(agency_id):
    """Tell whether anyone was placed in the agency or came to a meeting from it."""
    for model in (User, Guest):
        query = db.select(model.id).where(model.agency_id == agency_id).limit(1)
        if db.session.scalar(query) is not None:
            return True
    return False


def delete_agency(actor, agency_id, *, now):
    """Delete an agency added by mistake; one with history is refused (retire it instead)."""
    with write_transaction():
        agency = get_agency(agency_id)
        if has_history(agency.id):
            raise Conflict("agency.has_history")
        record_audit("agency.delete", agency, actor=actor, now=now, name=agency.name_fa)
        db.session.delete(agency)


def require_active_agency(agency_id, *, field="agency_id"):
    """Return the agency if it exists and is not retired, or raise Invalid on `field`."""
    agency = db.session.get(Agency, agency_id or 0)
    if agency is None:
        raise Invalid("committee.bad_agency", field=field)
    if agency.retired_at is not None:
        raise Invalid("agency.retired", field=field)
    return agency


def list_agencies(*, include_retired=True):
    """Every agency by Persian name (the retired ones last, or left out)."""
    query = db.select(Agency).order_by(Agency.retired_at.is_not(None), Agency.name_fa)
    if not include_retired:
        query = query.where(Agency.retired_at.is_(None))
    return db.session.scalars(query).all()
