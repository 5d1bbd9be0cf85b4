"""Vendors: profiles, papers, and the organisers' verification decisions."""

from datetime import timedelta

from flask_babel import lazy_gettext as _l

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.i18n import ShownDate, local_date
from bazaar.models import Category, Field, Product, Region, Vendor, VendorStatus
from bazaar.models.vendors import LicenceKind, PaperWarning
from bazaar.services import images
from bazaar.services.audit import record_audit
from bazaar.services.notifications import notify_user
from bazaar.text import normalize_mobile, normalize_search

WARN_DAYS = 30
PAPER_LABELS = {"licence": _l("home-business licence"), "health_id": _l("health ID")}
PROFILE_FIELDS = (
    "business_name",
    "owner_name",
    "mobile",
    "email",
    "county_id",
    "district_id",
    "address",
    "description",
    "field_id",
    "licence_number",
    "licence_body",
    "licence_kind",
    "licence_issued_on",
    "licence_expires_on",
    "health_id",
    "health_id_expires_on",
)
TRANSITIONS = {
    "verify": (
        {VendorStatus.PENDING, VendorStatus.SUSPENDED, VendorStatus.REJECTED},
        VendorStatus.VERIFIED,
    ),
    "reject": ({VendorStatus.PENDING}, VendorStatus.REJECTED),
    "suspend": ({VendorStatus.VERIFIED}, VendorStatus.SUSPENDED),
}


def find_vendor_for_user(user):
    """Return the user's vendor profile, or None."""
    return db.session.scalar(db.select(Vendor).where(Vendor.user_id == user.id))


def get_vendor(vendor_id):
    """Return a vendor or raise NotFound."""
    vendor = db.session.get(Vendor, vendor_id)
    if vendor is None:
        raise NotFound("vendor.not_found")
    return vendor


def get_public_vendor(vendor_id):
    """Return a verified vendor or raise NotFound (others are not public)."""
    vendor = get_vendor(vendor_id)
    if not vendor.is_public:
        raise NotFound("vendor.not_found")
    return vendor


def clean_profile(data):
    """Check a profile's values; return them cleaned, or raise Invalid naming the first problem."""
    clean = {key: data.get(key) for key in PROFILE_FIELDS}
    for key in (
        "business_name",
        "owner_name",
        "licence_number",
        "licence_body",
        "health_id",
        "address",
        "email",
    ):
        clean[key] = (clean[key] or "").strip() or None
    clean["description"] = (clean["description"] or "").strip()
    for key in ("business_name", "owner_name"):
        if not clean[key]:
            raise Invalid("vendor.required", field=key)
    clean["mobile"] = normalize_mobile(data.get("mobile") or "")
    if clean["mobile"] is None:
        raise Invalid("vendor.invalid_mobile", field="mobile")
    county = db.session.get(Region, clean["county_id"] or 0)
    if county is None or county.kind != "county":
        raise Invalid("vendor.bad_county", field="county_id")
    if clean["district_id"]:
        district = db.session.get(Region, clean["district_id"])
        if district is None or district.parent_id != county.id:
            raise Invalid("vendor.bad_district", field="district_id")
    else:
        clean["district_id"] = None
    field = db.session.get(Field, clean["field_id"] or 0)
    if field is None:
        raise Invalid("vendor.bad_field", field="field_id")
    clean["licence_kind"] = clean["licence_kind"] or LicenceKind.INDEPENDENT.value
    if clean["licence_kind"] not in LicenceKind.__members__.values():
        raise Invalid("vendor.required", field="licence_kind")
    if any(clean[k] for k in ("licence_number", "licence_expires_on", "licence_issued_on")):
        if not clean["licence_number"] or not clean["licence_expires_on"]:
            raise Invalid("vendor.licence_incomplete", field="licence_number")
        issued = clean["licence_issued_on"]
        if issued and issued >= clean["licence_expires_on"]:
            raise Invalid("vendor.licence_dates", field="licence_expires_on")
    if field.starred and (not clean["health_id"] or not clean["health_id_expires_on"]):
        raise Invalid("vendor.health_id_required", field="health_id")
    return clean


def search_text_for_vendor(vendor):
    """Return what the search index holds for a vendor."""
    parts = [vendor.business_name, vendor.owner_name, vendor.description]
    if vendor.field is not None:
        parts += [vendor.field.name_fa, vendor.field.name_en]
    return normalize_search(" ".join(p for p in parts if p))


def save_profile(user, data, *, now, logo_data=None):
    """Create or update the user's vendor profile; a new one starts as a draft."""
    clean = clean_profile(data)
    logo = None
    if logo_data:
        full, thumb, _ = images.process_image(logo_data)
        logo = images.store_image("logos", full, thumb)
    try:
        vendor, old_logo = _save_profile(user, clean, logo, now)
    except Exception:
        if logo:
            images.delete_image("logos", *logo)
        raise
    if old_logo and logo:
        images.delete_image("logos", old_logo, thumbnail_name(old_logo))
    return vendor


def thumbnail_name(filename):
    """Return the thumbnail's name of a stored image."""
    return filename.replace(".jpg", "-t.jpg")


def _save_profile(user, clean, logo, now):
    with write_transaction():
        vendor = find_vendor_for_user(user)
        created = vendor is None
        if created:
            vendor = Vendor(user_id=user.id, status=VendorStatus.DRAFT.value, created_at=now)
            db.session.add(vendor)
        changed = sorted(k for k, v in clean.items() if getattr(vendor, k) != v)
        for key, value in clean.items():
            setattr(vendor, key, value)
        old_logo = vendor.logo
        if logo is not None:
            vendor.logo = logo[0]
        vendor.updated_at = now
        db.session.flush()
        db.session.refresh(vendor, ["field"])
        vendor.search_text = search_text_for_vendor(vendor)
        _reindex_products(vendor)
        record_audit(
            "vendor.create" if created else "vendor.update",
            vendor,
            actor=user,
            now=now,
            changed=changed,
        )
    return vendor, old_logo


def _reindex_products(vendor):
    # Products carry their vendor's name in the search text.
    for product in db.session.scalars(db.select(Product).where(Product.vendor_id == vendor.id)):
        product.search_text = product_search_text(product, vendor)


def product_search_text(product, vendor):
    """Return what the search index holds for a product."""
    category = product.category or db.session.get(Category, product.category_id)
    parts = [product.name, product.description, vendor.business_name]
    if category is not None:
        parts += [category.name_fa, category.name_en]
    return normalize_search(" ".join(p for p in parts if p))


def submit_profile(user, *, now):
    """Send a draft or rejected profile to the organisers' verification queue."""
    with write_transaction():
        vendor = find_vendor_for_user(user)
        if vendor is None or vendor.status not in (VendorStatus.DRAFT, VendorStatus.REJECTED):
            raise Conflict("vendor.cannot_submit")
        clean_profile({key: getattr(vendor, key) for key in PROFILE_FIELDS})
        vendor.status = VendorStatus.PENDING.value
        vendor.submitted_at = now
        vendor.status_reason = None
        record_audit("vendor.submit", vendor, actor=user, now=now)
    return vendor


def decide_vendor(actor, vendor_id, decision, *, reason=None, now):
    """Verify, reject (with a reason) or suspend (with a reason) a vendor; tell them."""
    allowed_from, target = TRANSITIONS[decision]
    reason = (reason or "").strip() or None
    if decision in ("reject", "suspend") and not reason:
        raise Invalid("vendor.reason_required", field="reason")
    with write_transaction():
        vendor = get_vendor(vendor_id)
        if vendor.status not in allowed_from:
            raise Conflict("vendor.bad_transition")
        previous = vendor.status
        vendor.status, vendor.status_reason = target.value, reason
        vendor.decided_at, vendor.decided_by_id = now, actor.id
        record_audit(
            f"vendor.{decision}", vendor, actor=actor, now=now, old=previous, reason=reason
        )
        if vendor.user is not None:
            notify_user(
                vendor.user,
                f"vendor_{decision}",
                now=now,
                business=vendor.business_name,
                reason=reason or "",
            )
    return vendor


def list_vendors(*, status=None, papers=None, page, per_page, today):
    """Return a page of vendors for organisers, oldest submission first for the queue."""
    query = db.select(Vendor)
    if status:
        query = query.where(Vendor.status == status)
    if papers == "attention":
        soon = today + timedelta(days=WARN_DAYS)
        query = query.where(
            db.or_(Vendor.licence_expires_on <= soon, Vendor.health_id_expires_on <= soon)
        )
    query = query.order_by(Vendor.submitted_at.is_(None), Vendor.submitted_at, Vendor.id)
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def count_by_status():
    """Return {status: count} of vendors."""
    rows = db.session.execute(
        db.select(Vendor.status, db.func.count()).group_by(Vendor.status)
    ).all()
    return dict(rows)


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
            paper=PAPER_LABELS[paper],
            expires=ShownDate(expires),
        )
        record_audit(f"vendor.paper_{stage}", vendor, now=now, paper=paper)
    return 1
