"""A vendor's record: lookups, checked profile values, the fields organisers verify."""

from datetime import date

from bazaar.errors import Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import Category, Field, Product, Region, Vendor, VendorStatus
from bazaar.models.vendors import LicenceKind
from bazaar.text import normalize_mobile, normalize_search

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
# What the organisers verify (DOMAIN.md "Vendors and their papers"): the home-business licence
# (number, issuing body, kind, dates), the official field it is issued for, the health ID and
# its expiry, and the business name the public sees. Once a vendor is verified, a change to any
# of these waits for their review; the owner's name, contact details, county, address,
# description and logo are the vendor's own to keep current and change at once.
REVIEWED_FIELDS = (
    "business_name",
    "field_id",
    "licence_number",
    "licence_body",
    "licence_kind",
    "licence_issued_on",
    "licence_expires_on",
    "health_id",
    "health_id_expires_on",
)
DATE_FIELDS = ("licence_issued_on", "licence_expires_on", "health_id_expires_on")
# Verified (and suspended) vendors passed review; their reviewed fields change only by review.
REVIEWED_STATUSES = (VendorStatus.VERIFIED, VendorStatus.SUSPENDED)


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


def is_under_review(vendor):
    """Tell whether changes to the vendor's reviewed fields must wait for the organisers."""
    return vendor is not None and vendor.status in REVIEWED_STATUSES


def profile_version(vendor):
    """Return a token that changes whenever the vendor saves their profile."""
    return vendor.updated_at.isoformat()


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


def current_values(vendor):
    """Return the vendor's profile as stored: {field: value}."""
    return {key: getattr(vendor, key) for key in PROFILE_FIELDS}


def to_json(values):
    """Return profile values storable as JSON (dates as ISO strings)."""
    return {k: v.isoformat() if isinstance(v, date) else v for k, v in values.items()}


def from_json(values):
    """Return profile values read back from JSON (ISO strings as dates)."""
    return {k: date.fromisoformat(v) if k in DATE_FIELDS and v else v for k, v in values.items()}


def apply_profile(vendor, values, now):
    """Write values onto the vendor and refresh the search texts that carry them."""
    for key, value in values.items():
        setattr(vendor, key, value)
    vendor.updated_at = now
    db.session.flush()
    db.session.refresh(vendor, ["field"])
    vendor.search_text = search_text_for_vendor(vendor)
    # Products carry their vendor's name in the search text.
    for product in db.session.scalars(db.select(Product).where(Product.vendor_id == vendor.id)):
        product.search_text = product_search_text(product, vendor)


def search_text_for_vendor(vendor):
    """Return what the search index holds for a vendor (its stored, i.e. verified, values)."""
    parts = [vendor.business_name, vendor.owner_name, vendor.description]
    if vendor.field is not None:
        parts += [vendor.field.name_fa, vendor.field.name_en]
    return normalize_search(" ".join(p for p in parts if p))


def product_search_text(product, vendor):
    """Return what the search index holds for a product."""
    category = product.category or db.session.get(Category, product.category_id)
    parts = [product.name, product.description, vendor.business_name]
    if category is not None:
        parts += [category.name_fa, category.name_en]
    return normalize_search(" ".join(p for p in parts if p))
