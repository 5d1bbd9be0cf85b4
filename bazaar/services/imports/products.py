"""Importing products: check every row, then write them all in a few bulk statements."""

from bazaar.database import write_transaction
from bazaar.extensions import db
from bazaar.models import Availability, Category, Product, Vendor
from bazaar.services.audit import record_audit
from bazaar.services.catalogue_version import bump_catalogue_version
from bazaar.services.imports.csvfile import RowError, bulk_insert, bulk_update, by_chunks
from bazaar.services.listed import relist_products
from bazaar.services.reference import find_reference_id, reference_lookup
from bazaar.text import find_int, normalize_search

COLUMNS = (
    "vendor_ref",
    "product_ref",
    "name",
    "description",
    "category",
    "price_toman",
    "unit",
    "availability",
)
AVAILABILITY_WORDS = {
    "in_stock": Availability.IN_STOCK,
    "موجود": Availability.IN_STOCK,
    "to_order": Availability.TO_ORDER,
    "سفارشی": Availability.TO_ORDER,
    "بهسفارش": Availability.TO_ORDER,
    "unavailable": Availability.UNAVAILABLE,
    "ناموجود": Availability.UNAVAILABLE,
}
PROGRESS_EVERY = 5000


def check_products(rows, errors, progress=None):
    """Check every row; return the cleaned values (errors are appended to `errors`)."""
    lookup = reference_lookup()
    refs = sorted({row["vendor_ref"] for _, row in rows})
    vendors = {}
    for chunk in by_chunks(refs):
        query = db.select(Vendor.ref, Vendor.id).where(Vendor.ref.in_(chunk))
        vendors.update(db.session.execute(query).all())
    seen, cleaned = {}, []
    for done, (number, row) in enumerate(rows, start=1):
        cleaned.append(_check_row(number, row, lookup, vendors, errors))
        key = (row["vendor_ref"], row["product_ref"])
        if key in seen:
            other = {"other": seen[key]}
            errors.append(RowError(number, "product_ref", "import.duplicate_ref", other))
        seen[key] = number
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    return cleaned


def _check_row(number, row, lookup, vendors, errors):
    for column in ("vendor_ref", "product_ref", "name", "unit"):
        if not row[column]:
            errors.append(RowError(number, column, "import.required"))
    vendor_id = vendors.get(row["vendor_ref"])
    if row["vendor_ref"] and vendor_id is None:
        errors.append(
            RowError(number, "vendor_ref", "import.unknown_vendor", {"value": row["vendor_ref"]})
        )
    category_id = find_reference_id(lookup, "categories", row["category"])
    if category_id is None:
        errors.append(RowError(number, "category", "import.unknown", {"value": row["category"]}))
    price = find_int(row["price_toman"], min=0, max=10**12, grouping=True)
    if price is None:
        errors.append(
            RowError(number, "price_toman", "import.bad_price", {"value": row["price_toman"]})
        )
    availability = AVAILABILITY_WORDS.get(
        normalize_search(row["availability"]).replace(" ", "") or "in_stock"
    )
    if availability is None:
        errors.append(
            RowError(
                number, "availability", "import.bad_availability", {"value": row["availability"]}
            )
        )
    return {
        "vendor_id": vendor_id,
        "ref": row["product_ref"],
        "name": row["name"][:160],
        "description": row["description"],
        "category_id": category_id,
        "price_toman": price,
        "unit": row["unit"][:40],
        "availability": availability.value if availability else None,
    }


def _search_texts(cleaned):
    # What product_search_text makes of each Product, from the cleaned values.
    categories = {c.id: c for c in db.session.scalars(db.select(Category))}
    vendor_ids = sorted({clean["vendor_id"] for clean in cleaned})
    names = {}
    for chunk in by_chunks(vendor_ids):
        query = db.select(Vendor.id, Vendor.business_name).where(Vendor.id.in_(chunk))
        names.update(db.session.execute(query).all())
    for clean in cleaned:
        category = categories[clean["category_id"]]
        parts = [clean["name"], clean["description"], names[clean["vendor_id"]]]
        parts += [category.name_fa, category.name_en]
        clean["search_text"] = normalize_search(" ".join(p for p in parts if p))
    return vendor_ids


def write_products(cleaned, report, *, actor, now):
    """Create or update every checked product (by vendor and product_ref) in one transaction."""
    vendor_ids = _search_texts(cleaned)
    with write_transaction() as session:
        existing = {}
        for chunk in by_chunks(vendor_ids):
            query = db.select(Product.vendor_id, Product.ref, Product.id).where(
                Product.vendor_id.in_(chunk)
            )
            existing.update(((v, r), i) for v, r, i in session.execute(query))
        new, updates = [], []
        for clean in cleaned:
            product_id = existing.get((clean["vendor_id"], clean["ref"]))
            if product_id is None:
                new.append({**clean, "created_at": now, "updated_at": now})
            else:
                updates.append({**clean, "id": product_id, "updated_at": now})
        bulk_insert(session, Product, new)
        bulk_update(session, Product, updates)
        relist_products(vendor_ids)
        bump_catalogue_version(session)
        report.created, report.updated = len(new), len(updates)
        record_audit(
            "import.products",
            ("import", None),
            actor=actor,
            now=now,
            created=report.created,
            updated=report.updated,
        )
