"""Claims: the owner of an imported business takes over its vendor profile through a link.

The organisers import vendors from the licence system's lists (services/imports.py); each new
one is sent a signed link, valid for CLAIM_MAX_AGE, that creates the vendor's account once.
"""

from datetime import timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from bazaar.database import write_transaction
from bazaar.errors import Invalid
from bazaar.extensions import db
from bazaar.links import external_url
from bazaar.models import Role, Vendor
from bazaar.services.accounts import register_user
from bazaar.services.audit import record_audit
from bazaar.services.notifications import address_message_rows, notify_address

CLAIM_MAX_AGE = timedelta(days=7)


def _claim_serializer():
    return URLSafeSerializer(current_app.secret_key, salt="vendor-claim")


def make_claim_token(vendor, now):
    """Sign a claim token naming the vendor and the time it was made."""
    return _claim_serializer().dumps({"v": vendor.id, "t": int(now.timestamp())})


def queue_claim(vendor, now):
    """Send an imported vendor the link to claim their account (email, else SMS)."""
    link = external_url("vendors.claim_form", token=make_claim_token(vendor, now))
    channel, recipient = ("email", vendor.email) if vendor.email else ("sms", vendor.mobile)
    notify_address(
        channel, recipient, "vendor_claim", now=now, business=vendor.business_name, url=link
    )


def claim_message_rows(vendors, now):
    """Return the claim messages of many imported vendors (id, business_name, email, mobile)
    as column values, for one bulk insert."""
    serializer, stamp = _claim_serializer(), int(now.timestamp())
    # serializer.dumps derives the signing key again for every token; derive it once.
    signer = serializer.make_signer()
    key = signer.derive_key()
    signer.derive_key = lambda secret_key=None: key
    # Every link differs only in its token: build the address once.
    link = external_url("vendors.claim_form", token="TOKEN")  # noqa: S106 (a placeholder)
    addressed = (
        (
            "email" if vendor["email"] else "sms",
            vendor["email"] or vendor["mobile"],
            {
                "business": vendor["business_name"],
                "url": link.replace(
                    "TOKEN",
                    signer.sign(serializer.dump_payload({"v": vendor["id"], "t": stamp})).decode(),
                ),
            },
        )
        for vendor in vendors
    )
    return list(address_message_rows("vendor_claim", "fa", now, addressed))


def find_claimable_vendor(token, now):
    """Return the unclaimed vendor a valid claim token names, or None."""
    try:
        data = _claim_serializer().loads(token)
    except BadSignature:
        return None
    if (
        not isinstance(data, dict)
        or now.timestamp() - data.get("t", 0) > CLAIM_MAX_AGE.total_seconds()
    ):
        return None
    vendor = db.session.get(Vendor, data.get("v"))
    return vendor if vendor is not None and vendor.user_id is None else None


def claim_vendor(token, *, name, password, now):
    """Create the vendor account for an imported business through its claim link."""
    vendor = find_claimable_vendor(token, now)
    if vendor is None:
        raise Invalid("vendor.claim_invalid")
    with write_transaction():
        vendor = find_claimable_vendor(token, now)
        if vendor is None:
            raise Invalid("vendor.claim_invalid")
        user = register_user(
            name=name or vendor.owner_name,
            email=vendor.email,
            mobile=vendor.mobile,
            password=password,
            role=Role.VENDOR,
            locale="fa",
            now=now,
        )
        vendor.user_id = user.id
        record_audit("vendor.claim", vendor, actor=user, now=now)
    return user
