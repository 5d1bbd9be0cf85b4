"""Reading stall applications: a vendor's own, a bazaar's, and the counts other pages show."""

from sqlalchemy import func
from sqlalchemy.orm import selectinload

from bazaar.extensions import db
from bazaar.models import Application, Bazaar, Vendor
from bazaar.services.stalls import rules


def my_applications(user):
    """The vendor's applications, newest bazaar first."""
    vendor = db.session.scalar(db.select(Vendor).where(Vendor.user_id == user.id))
    if vendor is None:
        return []
    query = (
        db.select(Application)
        .join(Bazaar, Bazaar.id == Application.bazaar_id)
        .where(Application.vendor_id == vendor.id)
        .order_by(Bazaar.starts_at.desc())
        .options(selectinload(Application.bazaar), selectinload(Application.stall_type))
    )
    return db.session.scalars(query).all()


def applications_for(bazaar_id):
    """Every application of a bazaar, by stall type then queue order, with vendor and type."""
    query = (
        db.select(Application)
        .where(Application.bazaar_id == bazaar_id)
        .order_by(
            Application.stall_type_id,
            Application.state,
            Application.position,
            Application.applied_at,
        )
        .options(selectinload(Application.vendor), selectinload(Application.stall_type))
    )
    return db.session.scalars(query).all()


def vendor_histories(vendor_ids, bazaar_id):
    """Return {vendor_id: {state: count}}: each vendor's past outcomes at other bazaars."""
    histories = {vendor_id: {} for vendor_id in vendor_ids}
    if not histories:
        return histories
    rows = db.session.execute(
        db.select(Application.vendor_id, Application.state, func.count())
        .where(Application.vendor_id.in_(histories), Application.bazaar_id != bazaar_id)
        .group_by(Application.vendor_id, Application.state)
    )
    for vendor_id, state, count in rows:
        histories[vendor_id][state] = count
    return histories


def find_application(vendor, bazaar_id):
    """Return the vendor's application to a bazaar, or None."""
    return db.session.scalar(
        db.select(Application).where(
            Application.vendor_id == vendor.id, Application.bazaar_id == bazaar_id
        )
    )


def count_registered(bazaar_id):
    """How many vendors have an active application (a pre-registration while held)."""
    return count_registered_by_bazaar([bazaar_id]).get(bazaar_id, 0)


def count_registered_by_bazaar(bazaar_ids):
    """Return {bazaar_id: vendors with an active application} for several bazaars at once."""
    query = (
        db.select(Application.bazaar_id, func.count(Application.id))
        .where(Application.bazaar_id.in_(bazaar_ids), Application.state.in_(rules.ACTIVE))
        .group_by(Application.bazaar_id)
    )
    return dict(db.session.execute(query).all())


def registered_vendor_ids(bazaar_id):
    """The vendors registered for a bazaar: their products are its online catalogue."""
    return db.select(Application.vendor_id).where(
        Application.bazaar_id == bazaar_id, Application.state.in_(rules.ACTIVE)
    )
