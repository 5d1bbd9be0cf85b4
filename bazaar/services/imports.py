"""Bulk import from the national licence system's CSV lists: all rows or none."""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from email_validator import EmailNotValidError, validate_email

from bazaar.database import write_transaction
from bazaar.errors import MESSAGES
from bazaar.extensions import db
from bazaar.i18n import parse_jalali_date
from bazaar.models import Availability, Category, Field, Product, Region, Vendor, VendorStatus
from bazaar.services.audit import record_audit
from bazaar.services.claims import queue_claim
from bazaar.services.listed import relist_products
from bazaar.services.reference import find_reference_id, reference_lookup
from bazaar.services.search_index import refresh_statistics
from bazaar.services.vendors import product_search_text, search_text_for_vendor
from bazaar.text import (
    find_int,
    normalize_mobile,
    normalize_search,
    strip_controls,
    to_ascii_digits,
)

VENDOR_COLUMNS = (
    "vendor_ref",
    "business_name",
    "owner_name",
    "mobile",
    "county",
    "field",
    "licence_number",
    "licence_expires",
    "health_id",
    "health_id_expires",
    "description",
)
OPTIONAL_VENDOR_COLUMNS = ("email",)
PRODUCT_COLUMNS = (
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
MAX_ROWS = 50_000


@dataclass
class RowError:
    row: int
    column: str
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self):
        template = MESSAGES.get(self.code, self.code)
        return str(template) % self.params if self.params else str(template)


@dataclass
class ImportReport:
    kind: str
    errors: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    rows: int = 0

    @property
    def ok(self):
        return not self.errors


def read_csv(data, required, optional=()):
    """Decode UTF-8 (with or without BOM) CSV bytes; return (rows, errors) with row numbers."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [RowError(0, "", "import.not_utf8")]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in required if name not in header]
    if missing:
        return [], [
            RowError(
                1, ", ".join(missing), "import.missing_columns", {"columns": ", ".join(missing)}
            )
        ]
    reader.fieldnames = header
    rows = []
    try:
        for number, row in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                return [], [RowError(number, "", "import.too_many_rows", {"max": MAX_ROWS})]
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            rows.append((number, {key: _cell(row, key) for key in (*required, *optional)}))
    except csv.Error as exc:
        return [], [RowError(reader.line_num, "", "import.bad_csv", {"detail": str(exc)})]
    return rows, []


def _cell(row, key):
    # A cell's text as a form field's would be: no control characters, a description may keep
    # its line breaks.
    return strip_controls(row.get(key) or "", keep_lines=key == "description").strip()


def parse_date(text):
    """Read a Jalali (۱۴۰۵/۰۹/۱۵, 1405-09-15) or ISO Gregorian (2026-12-06) date."""
    ascii_text = to_ascii_digits(text.strip())
    year = ascii_text.replace("/", "-").split("-")[0]
    if year.isascii() and year.isdigit() and int(year) >= 1700:
        return datetime.strptime(ascii_text.replace("/", "-"), "%Y-%m-%d").date()  # noqa: DTZ007
    return parse_jalali_date(ascii_text)


def _date_or_error(row, number, column, errors, required=False):
    if not row[column]:
        if required:
            errors.append(RowError(number, column, "import.required"))
        return None
    try:
        return parse_date(row[column])
    except ValueError:
        errors.append(RowError(number, column, "import.bad_date", {"value": row[column]}))
        return None


def _check_vendor_row(number, row, lookup, starred, counties, errors):
    clean = {}
    for column in ("vendor_ref", "business_name", "owner_name"):
        if not row[column]:
            errors.append(RowError(number, column, "import.required"))
    clean["mobile"] = normalize_mobile(row["mobile"])
    if clean["mobile"] is None:
        errors.append(RowError(number, "mobile", "import.bad_mobile", {"value": row["mobile"]}))
    clean["county_id"] = find_reference_id(lookup, "regions", row["county"])
    if clean["county_id"] not in counties:
        errors.append(RowError(number, "county", "import.unknown", {"value": row["county"]}))
    clean["field_id"] = find_reference_id(lookup, "fields", row["field"])
    if clean["field_id"] is None:
        errors.append(RowError(number, "field", "import.unknown", {"value": row["field"]}))
    clean["licence_expires_on"] = _date_or_error(
        row, number, "licence_expires", errors, required=bool(row["licence_number"])
    )
    needs_health = clean["field_id"] in starred
    if needs_health and not row["health_id"]:
        errors.append(RowError(number, "health_id", "import.health_id_required"))
    clean["health_id_expires_on"] = _date_or_error(
        row, number, "health_id_expires", errors, required=needs_health
    )
    clean["email"] = None
    if row.get("email"):
        try:
            clean["email"] = validate_email(
                row["email"], check_deliverability=False
            ).normalized.lower()
        except EmailNotValidError:
            errors.append(RowError(number, "email", "import.bad_email", {"value": row["email"]}))
    clean.update(
        ref=row["vendor_ref"],
        business_name=row["business_name"][:160],
        owner_name=row["owner_name"][:120],
        licence_number=row["licence_number"] or None,
        health_id=row["health_id"] or None,
        description=row["description"],
    )
    return clean


def import_vendors(data, *, actor, now):
    """Validate every row, then create or update all vendors (by vendor_ref) or none."""
    report = ImportReport("vendors")
    rows, report.errors = read_csv(data, VENDOR_COLUMNS, OPTIONAL_VENDOR_COLUMNS)
    if report.errors:
        return report
    lookup = reference_lookup()
    starred = set(db.session.scalars(db.select(Field.id).where(Field.starred.is_(True))))
    counties = set(db.session.scalars(db.select(Region.id).where(Region.kind == "county")))
    seen, cleaned = {}, []
    for number, row in rows:
        clean = _check_vendor_row(number, row, lookup, starred, counties, report.errors)
        if row["vendor_ref"] in seen:
            report.errors.append(
                RowError(
                    number, "vendor_ref", "import.duplicate_ref", {"other": seen[row["vendor_ref"]]}
                )
            )
        seen[row["vendor_ref"]] = number
        cleaned.append(clean)
    report.rows = len(rows)
    if report.errors or not rows:
        if not rows and not report.errors:
            report.errors.append(RowError(2, "", "import.empty"))
        return report
    with write_transaction():
        existing = {
            v.ref: v
            for v in db.session.scalars(db.select(Vendor).where(Vendor.ref.in_(list(seen))))
        }
        claims = []
        for clean in cleaned:
            vendor = existing.get(clean["ref"])
            if vendor is None:
                vendor = Vendor(
                    status=VendorStatus.VERIFIED.value,
                    created_at=now,
                    submitted_at=now,
                    decided_at=now,
                    decided_by_id=actor.id if actor else None,
                )
                db.session.add(vendor)
                report.created += 1
                claims.append(vendor)
            else:
                report.updated += 1
            for key, value in clean.items():
                setattr(vendor, key, value)
            vendor.updated_at = now
            vendor.field = db.session.get(Field, clean["field_id"])
            vendor.search_text = search_text_for_vendor(vendor)
        db.session.flush()
        for vendor in claims:
            queue_claim(vendor, now)
        record_audit(
            "import.vendors",
            ("import", None),
            actor=actor,
            now=now,
            created=report.created,
            updated=report.updated,
        )
    refresh_statistics()
    return report


def _check_product_row(number, row, lookup, vendors, errors):
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


def import_products(data, *, actor, now):
    """Validate every row, then create or update all products (by vendor and ref) or none."""
    report = ImportReport("products")
    rows, report.errors = read_csv(data, PRODUCT_COLUMNS)
    if report.errors:
        return report
    lookup = reference_lookup()
    refs = {row["vendor_ref"] for _, row in rows}
    vendors = dict(
        db.session.execute(db.select(Vendor.ref, Vendor.id).where(Vendor.ref.in_(refs))).all()
    )
    seen, cleaned = {}, []
    for number, row in rows:
        cleaned.append(_check_product_row(number, row, lookup, vendors, report.errors))
        key = (row["vendor_ref"], row["product_ref"])
        if key in seen:
            report.errors.append(
                RowError(number, "product_ref", "import.duplicate_ref", {"other": seen[key]})
            )
        seen[key] = number
    report.rows = len(rows)
    if report.errors or not rows:
        if not rows and not report.errors:
            report.errors.append(RowError(2, "", "import.empty"))
        return report
    with write_transaction():
        existing = {
            (p.vendor_id, p.ref): p
            for p in db.session.scalars(
                db.select(Product).where(Product.vendor_id.in_(list(vendors.values())))
            )
        }
        vendor_objects = {
            v.id: v
            for v in db.session.scalars(
                db.select(Vendor).where(Vendor.id.in_(list(vendors.values())))
            )
        }
        for clean in cleaned:
            product = existing.get((clean["vendor_id"], clean["ref"]))
            if product is None:
                product = Product(created_at=now)
                db.session.add(product)
                report.created += 1
            else:
                report.updated += 1
            for key, value in clean.items():
                setattr(product, key, value)
            product.updated_at = now
            product.category = db.session.get(Category, clean["category_id"])
            product.search_text = product_search_text(product, vendor_objects[clean["vendor_id"]])
        relist_products(list(vendors.values()))
        record_audit(
            "import.products",
            ("import", None),
            actor=actor,
            now=now,
            created=report.created,
            updated=report.updated,
        )
    refresh_statistics()
    return report
