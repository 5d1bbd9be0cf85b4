"""A vendor's own profile: saving it and sending it for verification."""

from bazaar.database import write_transaction
from bazaar.errors import Conflict
from bazaar.extensions import db
from bazaar.models import Vendor, VendorStatus
from bazaar.services import images
from bazaar.services.audit import record_audit
from bazaar.services.vendors.changes import stage_change
from bazaar.services.vendors.records import (
    PROFILE_FIELDS,
    REVIEWED_FIELDS,
    apply_profile,
    clean_profile,
    current_values,
    find_vendor_for_user,
    from_json,
    is_under_review,
)


def profile_values(vendor, user=None):
    """Return the profile as its vendor last typed it: stored values, then any pending change.

    A new profile starts from what the account already says: its owner's name, mobile, email.
    """
    if vendor is None:
        if user is None:
            return {}
        known = {"owner_name": user.name, "mobile": user.mobile, "email": user.email}
        return {key: value for key, value in known.items() if value}
    values = current_values(vendor)
    if vendor.pending_change is not None:
        values.update(from_json(vendor.pending_change.proposed))
    return values


def save_profile(user, *, now, logo_data=None, **values):
    """Create or update the user's vendor profile from its fields; a new one starts as a draft.

    Once the vendor is verified, changed reviewed fields (rules.REVIEWED_FIELDS) wait in a
    pending change for the organisers and the stored, public values stay; the rest apply now.
    """
    unknown = values.keys() - set(PROFILE_FIELDS)
    if unknown:
        raise TypeError(f"not profile fields: {sorted(unknown)}")
    clean = clean_profile(values)
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
        proposed = {}
        if is_under_review(vendor):
            proposed = {k: clean.pop(k) for k in REVIEWED_FIELDS}
            proposed = {k: v for k, v in proposed.items() if getattr(vendor, k) != v}
            stage_change(vendor, proposed, actor=user, now=now)
        changed = sorted(k for k, v in clean.items() if getattr(vendor, k) != v)
        old_logo = vendor.logo
        if logo is not None:
            vendor.logo = logo[0]
        apply_profile(vendor, clean, now)
        record_audit(
            "vendor.create" if created else "vendor.update",
            vendor,
            actor=user,
            now=now,
            changed=changed,
            proposed=sorted(proposed),
        )
    return vendor, old_logo


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
