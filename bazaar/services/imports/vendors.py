"""Importing vendors: check every row, then write them all in a few bulk statements."""

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import func

from bazaar.database import sync_sequences, write_transaction
from bazaar.extensions import db
from bazaar.models import Field, LicenceKind, Message, Region, Vendor, VendorStatus
from bazaar.services.audit import record_audit
from bazaar.services.catalogue_version import bump_catalogue_version
from bazaar.services.claims import claim_message_rows
from bazaar.services.imports.csvfile import (
    RowError,
    bulk_update,
    by_chunks,
    date_or_error,
    prepare_insert,
    run_prepared,
)
from bazaar.services.reference import find_reference_id, reference_lookup
from bazaar.text import normalize_mobile, normalize_search

COLUMNS = (
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
OPTIONAL_COLUMNS = ("email",)
PROGRESS_EVERY = 5000


def check_vendors(rows, errors, progress=None):
    """Check every row; return the cleaned values (errors are appended to `errors`)."""
    lookup = reference_lookup()
    starred = set(db.session.scalars(db.select(Field.id).where(Field.starred.is_(True))))
    counties = set(db.session.scalars(db.select(Region.id).where(Region.kind == "county")))
    seen, cleaned = {}, []
    for done, (number, row) in enumerate(rows, start=1):
        cleaned.append(_check_row(number, row, lookup, starred, counties, errors))
        if row["vendor_ref"] in seen:
            other = {"other": seen[row["vendor_ref"]]}
            errors.append(RowError(number, "vendor_ref", "import.duplicate_ref", other))
        seen[row["vendor_ref"]] = number
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
    return cleaned


def _check_row(number, row, lookup, starred, counties, errors):
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
    clean["licence_expires_on"] = date_or_error(
        row, number, "licence_expires", errors, required=bool(row["licence_number"])
    )
    needs_health = clean["field_id"] in starred
    if needs_health and not row["health_id"]:
        errors.append(RowError(number, "health_id", "import.health_id_required"))
    clean["health_id_expires_on"] = date_or_error(
        row, number, "health_id_expires", errors, required=needs_health
    )
    clean["email"] = None
    if row.get("email"):
        try:
            email = validate_email(row["email"], check_deliverability=False)
            clean["email"] = email.normalized.lower()
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


def _existing_ids(refs):
    found = {}
    for chunk in by_chunks(refs):
        found.update(
            db.session.execute(db.select(Vendor.ref, Vendor.id).where(Vendor.ref.in_(chunk))).all()
        )
    return found


def _plan(cleaned, *, actor, now):
    """Prepare every statement's rows; new vendors get ids after the largest one."""
    existing = _existing_ids([clean["ref"] for clean in cleaned])
    next_id = (db.session.scalar(db.select(func.max(Vendor.id))) or 0) + 1
    new, updates = [], []
    for clean in cleaned:
        row = {**clean, "updated_at": now}
        if clean["ref"] in existing:
            updates.append({**row, "id": existing[clean["ref"]]})
            continue
        row.update(
            id=next_id,
            licence_kind=LicenceKind.INDEPENDENT.value,
            status=VendorStatus.VERIFIED.value,
            created_at=now,
            submitted_at=now,
            decided_at=now,
            decided_by_id=actor.id if actor else None,
        )
        new.append(row)
        next_id += 1
    return {
        "key": (next_id - len(new), sorted(existing.items())),
        "new": prepare_insert(db.session, Vendor, new),
        "created": len(new),
        "updates": updates,
        "messages": prepare_insert(db.session, Message, claim_message_rows(new, now)),
    }


def _plan_key(cleaned):
    existing = _existing_ids([clean["ref"] for clean in cleaned])
    return ((db.session.scalar(db.select(func.max(Vendor.id))) or 0) + 1, sorted(existing.items()))


def write_vendors(cleaned, report, *, actor, now):
    """Create or update every checked vendor (by vendor_ref) in one short write transaction.

    Everything is prepared before the write lock is taken: the rows, the search texts, the
    new vendors' ids and their claim messages. Under the lock the plan is checked (no vendor
    was added meanwhile, else it is made again) and written in bulk statements.
    """
    fields = {f.id: f for f in db.session.scalars(db.select(Field))}
    for clean in cleaned:
        clean["search_text"] = _search_text(clean, fields[clean["field_id"]])
    plan = _plan(cleaned, actor=actor, now=now)
    with write_transaction() as session:
        if _plan_key(cleaned) != plan["key"]:
            plan = _plan(cleaned, actor=actor, now=now)
        run_prepared(session, plan["new"])
        run_prepared(session, plan["messages"])
        bulk_update(session, Vendor, plan["updates"])
        bump_catalogue_version(session)
        sync_sequences(session)  # the new vendors came with their ids
        report.created, report.updated = plan["created"], len(plan["updates"])
        record_audit(
            "import.vendors",
            ("import", None),
            actor=actor,
            now=now,
            created=report.created,
            updated=report.updated,
        )


def _search_text(clean, field):
    # What search_text_for_vendor makes of a Vendor, from the cleaned values.
    parts = [clean["business_name"], clean["owner_name"], clean["description"]]
    parts += [field.name_fa, field.name_en]
    return normalize_search(" ".join(p for p in parts if p))
