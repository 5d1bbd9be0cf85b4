"""Vendors' papers: which need attention, and warning their holders ahead of expiry."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from bazaar.database import write_transaction
from bazaar.extensions import db
from bazaar.i18n import ShownDate, local_date
from bazaar.links import external_url
from bazaar.models import Vendor
from bazaar.models.vendors import PaperWarning
from bazaar.services.audit import record_audit
from bazaar.services.notifications import notify_user

WARN_DAYS = 30
PAPER_LABELS = {"licence": _l("home-business licence"), "health_id": _l("health ID")}


def paper_flags(vendor, today):
    """Return [(paper, 'expiring'|'expired', expires_on)] for papers needing attention."""
    flags = []
    for paper, expires in (
        ("licence", vendor.licence_expires_on),
        ("health_id", vendor.health_id_expires_on),
    ):
        if expires is None:
            continue
        if expires < today:
            flags.append((paper, "expired", expires))
        elif expires <= today + timedelta(days=WARN_DAYS):
            flags.append((paper, "expiring", expires))
    return flags


def warn_about_papers(*, now):
    """Tell each vendor once per paper and stage that it expires soon or has expired."""
    today = local_date(now)
    soon = today + timedelta(days=WARN_DAYS)
    vendors = db.session.scalars(
        db.select(Vendor).where(
            Vendor.user_id.is_not(None),
            db.or_(Vendor.licence_expires_on <= soon, Vendor.health_id_expires_on <= soon),
        )
    ).all()
    sent = 0
    for vendor in vendors:
        for paper, stage, expires in paper_flags(vendor, today):
            sent += _warn_once(vendor.id, paper, stage, expires, now)
    return sent


def _warn_once(vendor_id, paper, stage, expires, now):
    with write_transaction():
        exists = db.session.scalar(
            db.select(PaperWarning.id).filter_by(
                vendor_id=vendor_id, paper=paper, expires_on=expires, stage=stage
            )
        )
        if exists:
            return 0
        vendor = db.session.get(Vendor, vendor_id)
        db.session.add(
            PaperWarning(
                vendor_id=vendor_id, paper=paper, expires_on=expires, stage=stage, sent_at=now
            )
        )
        notify_user(
            vendor.user,
            f"paper_{stage}",
            now=now,
            link="/vendors/me/profile",
            paper=PAPER_LABELS[paper],
            expires=ShownDate(expires),
            url=external_url("vendors.profile_form"),
        )
        record_audit(f"vendor.paper_{stage}", vendor, now=now, paper=paper)
    return 1
