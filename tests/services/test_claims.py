"""Claiming an imported business: one account, once, through a signed link."""

from datetime import timedelta

import pytest

from bazaar.errors import Invalid
from bazaar.extensions import db
from bazaar.models import Vendor
from bazaar.services import claims
from bazaar.services.accounts import authenticate
from tests.services.test_imports import VENDORS, run_vendors


def test_claim_link_creates_the_vendor_account_once(app, now):
    run_vendors(VENDORS, now)
    vendor = db.session.scalar(db.select(Vendor).where(Vendor.ref == "V2"))
    token = claims.make_claim_token(vendor, now)
    user = claims.claim_vendor(token, name="زهرا", password="my shop passphrase", now=now)
    assert db.session.get(Vendor, vendor.id).user_id == user.id
    assert authenticate("09121112244", "my shop passphrase", now=now).role == "vendor"
    with pytest.raises(Invalid):
        claims.claim_vendor(token, name="x", password="another passphrase", now=now)
    assert claims.find_claimable_vendor("forged", now) is None


def test_a_claim_link_expires(app, now):
    run_vendors(VENDORS, now)
    vendor = db.session.scalar(db.select(Vendor).where(Vendor.ref == "V2"))
    token = claims.make_claim_token(vendor, now)
    late = now + claims.CLAIM_MAX_AGE + timedelta(minutes=1)
    assert claims.find_claimable_vendor(token, now) == vendor
    assert claims.find_claimable_vendor(token, late) is None
