"""The registry of named metrics: each figure's name, written definition and one function.

The page, the CSV and JSON exports, the dashboards and the snapshots all take their figures from
`compute_all`; a snapshot freezes them, with their names and definitions, forever.
"""

from dataclasses import dataclass

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func

from bazaar.extensions import db
from bazaar.i18n import local_date, local_zone
from bazaar.models import (
    Application,
    Bazaar,
    Category,
    Committee,
    Field,
    FollowUp,
    FollowUpStatus,
    Interest,
    Product,
    Region,
    Restriction,
    StallType,
    Vendor,
    VendorStatus,
)
from bazaar.services.bazaars.rules import LABELS, derive_status
from bazaar.services.stalls.rules import ACTIVE, HOLDING


@dataclass(frozen=True)
class Metric:
    """A named figure with its written definition; `compute(now)` gives (total, rows)."""

    key: str
    name: object
    definition: object
    compute: object  # (now) -> (total, [(label_fa, label_en, value)])
    unit: str = "count"  # or "percent"


def _rows(pairs):
    """Turn [(label_fa, label_en, value)] into the total and the rows, largest first."""
    rows = sorted(([fa, en, int(value)] for fa, en, value in pairs), key=lambda r: (-r[2], r[0]))
    return sum(r[2] for r in rows), rows


VENDOR_STATUS_LABELS = {
    "draft": ("پیش‌نویس", "Draft"),
    "pending": ("در انتظار تأیید", "Waiting for verification"),
    "verified": ("تأییدشده", "Verified"),
    "rejected": ("بازگشت‌خورده", "Sent back"),
    "suspended": ("تعلیق‌شده", "Suspended"),
}
BAZAAR_STATUS_LABELS = {s.value: LABELS[s] for s in LABELS if s != "draft"}


def vendors_by_status(now):
    counts = dict(
        db.session.execute(db.select(Vendor.status, func.count()).group_by(Vendor.status)).all()
    )
    return _rows((*VENDOR_STATUS_LABELS[s], counts.get(s, 0)) for s in VENDOR_STATUS_LABELS)


def _verified():
    return Vendor.status == VendorStatus.VERIFIED.value


def vendors_by_field(now):
    query = db.select(Field.name_fa, Field.name_en, func.count(Vendor.id)).join(
        Vendor, db.and_(Vendor.field_id == Field.id, _verified()), isouter=True
    )
    return _rows(db.session.execute(query.group_by(Field.id)).all())


def vendors_by_county(now):
    query = (
        db.select(Region.name_fa, Region.name_en, func.count(Vendor.id))
        .where(Region.kind == "county")
        .join(Vendor, db.and_(Vendor.county_id == Region.id, _verified()), isouter=True)
    )
    return _rows(db.session.execute(query.group_by(Region.id)).all())


def valid_licences(now):
    today = local_date(now)
    count = db.session.scalar(
        db.select(func.count(Vendor.id)).where(_verified(), Vendor.licence_expires_on >= today)
    )
    return count, []


def valid_health_ids(now):
    today = local_date(now)
    query = db.select(func.count(Vendor.id)).where(
        _verified(), Vendor.health_id.is_not(None), Vendor.health_id_expires_on >= today
    )
    return db.session.scalar(query), []


def products_by_category(now):
    parent = db.aliased(Category)
    top_id = func.coalesce(Category.parent_id, Category.id)
    counts = dict(
        db.session.execute(
            db.select(top_id, func.count(Product.id))
            .join(Product, Product.category_id == Category.id)
            .join(Vendor, db.and_(Vendor.id == Product.vendor_id, _verified()))
            .group_by(top_id)
        ).all()
    )
    tops = db.session.execute(
        db.select(parent.id, parent.name_fa, parent.name_en).where(parent.parent_id.is_(None))
    )
    return _rows((fa, en, counts.get(cid, 0)) for cid, fa, en in tops)


def _states(now):
    restrictions = db.session.scalars(db.select(Restriction)).all()
    bazaars = db.session.scalars(db.select(Bazaar).where(Bazaar.published_at.is_not(None))).all()
    return [(b, derive_status(b, restrictions, now, local_zone())) for b in bazaars]


def bazaars_by_status(now):
    counts = {}
    for _bazaar, state in _states(now):
        counts[state.status.value] = counts.get(state.status.value, 0) + 1
    return _rows((*labels, counts.get(key, 0)) for key, labels in BAZAAR_STATUS_LABELS.items())


def held_by_restriction(now):
    counts = {}
    for _bazaar, state in _states(now):
        if state.is_held:
            r = state.restriction
            label = f"{r.reference} — {r.body}"
            counts[label] = counts.get(label, 0) + 1
    return _rows((label, label, value) for label, value in counts.items())


def _open_bazaars():
    return db.select(Bazaar.id).where(
        Bazaar.published_at.is_not(None), Bazaar.cancelled_at.is_(None)
    )


def stalls_offered(now):
    return db.session.scalar(
        db.select(func.coalesce(func.sum(StallType.count), 0)).where(
            StallType.bazaar_id.in_(_open_bazaars())
        )
    ), []


def stalls_allocated(now):
    query = db.select(func.count(Application.id)).where(Application.state.in_(HOLDING))
    return db.session.scalar(query), []


def stalls_confirmed(now):
    query = db.select(func.count(Application.id)).where(Application.state == "confirmed")
    return db.session.scalar(query), []


def applications(now):
    return db.session.scalar(db.select(func.count(Application.id))), []


def allocation_rate(now):
    decided = db.session.scalar(
        db.select(func.count(Application.id)).where(Application.state != "applied")
    )
    holding = stalls_allocated(now)[0]
    return (round(100 * holding / decided) if decided else 0), []


def registered_vendors(now):
    return db.session.scalar(
        db.select(func.count(Application.id)).where(Application.state.in_(ACTIVE))
    ), []


def interest_list(now):
    confirmed = Interest.confirmed_at.is_not(None)
    return db.session.scalar(db.select(func.count(Interest.id)).where(confirmed)), []


def _followups_per_committee(condition):
    def compute(now):
        today = local_date(now)
        counts = dict(
            db.session.execute(
                db.select(FollowUp.committee_id, func.count(FollowUp.id))
                .where(condition(today))
                .group_by(FollowUp.committee_id)
            ).all()
        )
        committees = db.session.execute(db.select(Committee.id, Committee.name))
        return _rows((name, name, counts.get(cid, 0)) for cid, name in committees)

    return compute


NOT_DONE = FollowUp.status != FollowUpStatus.DONE.value

METRICS = [
    Metric(
        "vendors_by_status",
        _l("Vendors by status"),
        _l("Every vendor profile, by its verification status."),
        vendors_by_status,
    ),
    Metric(
        "vendors_by_field",
        _l("Verified vendors by field"),
        _l("Verified vendors, by their official home-business field."),
        vendors_by_field,
    ),
    Metric(
        "vendors_by_county",
        _l("Verified vendors by county"),
        _l("Verified vendors, by the county they work in."),
        vendors_by_county,
    ),
    Metric(
        "valid_licences",
        _l("Verified vendors with a valid licence"),
        _l("Verified vendors whose home-business licence has not expired today (Tehran time)."),
        valid_licences,
    ),
    Metric(
        "valid_health_ids",
        _l("Verified vendors with a valid health ID"),
        _l("Verified vendors holding a health ID that has not expired today."),
        valid_health_ids,
    ),
    Metric(
        "products_by_category",
        _l("Public products by category"),
        _l("Products of verified vendors, by top-level category."),
        products_by_category,
    ),
    Metric(
        "bazaars_by_status",
        _l("Bazaars by status"),
        _l("Published bazaars by their status now, derived from the gathering restrictions."),
        bazaars_by_status,
    ),
    Metric(
        "held_by_restriction",
        _l("Held bazaars by restriction"),
        _l("Bazaars held now, by the earliest restriction holding them."),
        held_by_restriction,
    ),
    Metric(
        "stalls_offered",
        _l("Stalls offered"),
        _l("The stall counts of every published bazaar that is not cancelled."),
        stalls_offered,
    ),
    Metric(
        "stalls_allocated",
        _l("Stalls allocated"),
        _l("Applications holding a stall now (allocated or confirmed)."),
        stalls_allocated,
    ),
    Metric(
        "stalls_confirmed",
        _l("Stalls confirmed"),
        _l("Applications whose vendor confirmed the stall."),
        stalls_confirmed,
    ),
    Metric(
        "applications",
        _l("Stall applications"),
        _l("Every stall application ever made, whatever became of it."),
        applications,
    ),
    Metric(
        "registered_vendors",
        _l("Vendors registered for bazaars"),
        _l(
            "Applications still active: waiting for the round, on a waiting list, "
            "or holding a stall."
        ),
        registered_vendors,
    ),
    Metric(
        "allocation_rate",
        _l("Allocation rate"),
        _l("Stalls held now, as a percentage of the applications that have been decided."),
        allocation_rate,
        "percent",
    ),
    Metric(
        "interest_list",
        _l("People waiting for bazaars"),
        _l("Confirmed entries on the bazaars' interest lists."),
        interest_list,
    ),
    Metric(
        "followups_open",
        _l("Open follow-ups by committee"),
        _l("Follow-ups not done, by committee."),
        _followups_per_committee(lambda today: NOT_DONE),
    ),
    Metric(
        "followups_overdue",
        _l("Overdue follow-ups by committee"),
        _l("Follow-ups not done whose due date has passed, by committee."),
        _followups_per_committee(lambda today: db.and_(NOT_DONE, FollowUp.due_on < today)),
    ),
    Metric(
        "followups_done",
        _l("Done follow-ups by committee"),
        _l("Follow-ups marked done, by committee."),
        _followups_per_committee(lambda today: FollowUp.status == FollowUpStatus.DONE.value),
    ),
]
BY_KEY = {metric.key: metric for metric in METRICS}


def compute_all(now, keys=None):
    """Compute every metric (or those named) once: the figures every output shows."""
    figures = {}
    for metric in METRICS:
        if keys is not None and metric.key not in keys:
            continue
        total, rows = metric.compute(now)
        with force_locale("fa"):
            name_fa, definition_fa = str(metric.name), str(metric.definition)
        with force_locale("en"):
            name_en, definition_en = str(metric.name), str(metric.definition)
        figures[metric.key] = {
            "name": {"fa": name_fa, "en": name_en},
            "definition": {"fa": definition_fa, "en": definition_en},
            "unit": metric.unit,
            "total": int(total or 0),
            "rows": rows,
        }
    return {"computed_at": now.isoformat(), "metrics": figures}
