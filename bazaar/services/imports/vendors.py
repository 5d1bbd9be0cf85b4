"""Importing vendors: check every row, then write them all in a few bulk statements."""

from email_validator import EmailNotValidError, validate_email
from flask import current_app
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
from bazaar.services.imports.staging import publish_staged, tell_heartbeat
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


def _changed_rows(matched, existing, now):
    """Return the update rows of the vendors whose values differ: those whose search text
    changed, and those whose search text did not (without it: its search-index trigger, a
    delete and an insert, is spared). A list imported again as it was writes nothing."""
    columns = list(matched[0]) if matched else []
    current = _current_values(sorted(existing[clean["ref"]] for clean in matched), columns)
    updates, keep_text = [], []
    for clean in matched:
        was = current.get(existing[clean["ref"]], {})
        if was == clean:
            continue
        row = {**clean, "id": existing[clean["ref"]], "updated_at": now}
        if was.get("search_text") == clean["search_text"]:
            del row["search_text"]
            keep_text.append(row)
        else:
            updates.append(row)
    return updates, keep_text


def _current_values(ids, columns):
    found = {}
    selected = [getattr(Vendor, column) for column in columns]
    for chunk in by_chunks(ids):
        query = db.select(Vendor.id, *selected).where(Vendor.id.in_(chunk))
        found.update(
            (row[0], dict(zip(columns, row[1:], strict=True))) for row in db.session.execute(query)
        )
    return found


def _next_id():
    # Staged rows of this job (and of any other) hold their ids too.
    query = db.select(func.max(Vendor.id)).execution_options(include_staged=True)
    return (db.session.scalar(query) or 0) + 1


def _plan_chunk(chunk, *, actor, now, job_id):
    """Prepare a chunk of new vendors (ids after the largest one) and their claim messages."""
    first_id = _next_id()
    new = [
        {
            **clean,
            "id": first_id + offset,
            "import_job_id": job_id,
            "licence_kind": LicenceKind.INDEPENDENT.value,
            "status": VendorStatus.VERIFIED.value,
            "created_at": now,
            "updated_at": now,
            "submitted_at": now,
            "decided_at": now,
            "decided_by_id": actor.id if actor else None,
        }
        for offset, clean in enumerate(chunk)
    ]
    messages = [{**row, "import_job_id": job_id} for row in claim_message_rows(new, now)]
    return {
        "first_id": first_id,
        "vendors": prepare_insert(db.session, Vendor, new),
        "messages": prepare_insert(db.session, Message, messages),
    }


def write_vendors(cleaned, report, *, actor, now, job_id, clock, progress=None):
    """Create or update every checked vendor (by vendor_ref): all of them or none.

    The new vendors and their claim messages are written staged (invisible to everyone), a
    chunk of IMPORT_CHUNK_ROWS per short write transaction, each prepared before the lock is taken
    (made again under it if a vendor was added meanwhile). One last short transaction makes
    them all count at once and updates the existing vendors. `clock()` tells the heartbeat.
    """
    fields = {f.id: f for f in db.session.scalars(db.select(Field))}
    for clean in cleaned:
        clean["search_text"] = _search_text(clean, fields[clean["field_id"]])
    existing = _existing_ids([clean["ref"] for clean in cleaned])
    new = [clean for clean in cleaned if clean["ref"] not in existing]
    matched = [clean for clean in cleaned if clean["ref"] in existing]
    updates, keep_text = _changed_rows(matched, existing, now)
    written = 0
    for chunk in by_chunks(new, current_app.config["IMPORT_CHUNK_ROWS"]):
        plan = _plan_chunk(chunk, actor=actor, now=now, job_id=job_id)
        with write_transaction() as session:
            tell_heartbeat(session, job_id, clock(), written=written)
            if _next_id() != plan["first_id"]:
                plan = _plan_chunk(chunk, actor=actor, now=now, job_id=job_id)
            run_prepared(session, plan["vendors"])
            run_prepared(session, plan["messages"])
            sync_sequences(session)  # the new vendors came with their ids
        written += len(chunk)
        if progress is not None:
            progress(written)
    with write_transaction() as session:
        tell_heartbeat(session, job_id, clock(), written=written)
        publish_staged(session, job_id)
        bulk_update(session, Vendor, updates)
        bulk_update(session, Vendor, keep_text)
        bump_catalogue_version(session)
        report.created, report.updated = len(new), len(matched)
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
