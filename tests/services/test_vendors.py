"""Vendor profiles, papers and verification."""

from datetime import date, timedelta

import pytest

from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import Field, Message, Region, Role, Vendor
from bazaar.services import vendors
from bazaar.services.audit import list_audit
from tests.conftest import reference_ids


def profile(**changes):
    data = {
        "business_name": "ترشی‌سرای مریم",
        "owner_name": "مریم",
        "mobile": "۰۹۱۲۱۲۳۴۵۶۷",
        "county_id": reference_ids(Region)["qom"],
        "district_id": reference_ids(Region)["qom-2"],
        "field_id": reference_ids(Field)["pickles-jam"],
        "licence_number": "QM-1",
        "licence_issued_on": date(2025, 1, 1),
        "licence_expires_on": date(2027, 1, 1),
        "health_id": "H-1",
        "health_id_expires_on": date(2027, 1, 1),
    }
    return {**data, **changes}


def test_save_profile_creates_a_draft_and_audits(app, make_user, now):
    user = make_user(role=Role.VENDOR)
    vendor = vendors.save_profile(user, profile(), now=now)
    assert (vendor.status, vendor.mobile, vendor.user_id) == ("draft", "09121234567", user.id)
    assert not vendor.is_public
    assert list_audit(object_type="vendors", object_id=vendor.id)[0].action == "vendor.create"


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"business_name": " "}, "vendor.required"),
        ({"mobile": "021"}, "vendor.invalid_mobile"),
        ({"county_id": None}, "vendor.bad_county"),
        ({"county_id": 9999}, "vendor.bad_county"),
        ({"district_id": 9999}, "vendor.bad_district"),
        ({"field_id": None}, "vendor.bad_field"),
        ({"licence_expires_on": None}, "vendor.licence_incomplete"),
        ({"licence_issued_on": date(2028, 1, 1)}, "vendor.licence_dates"),
        ({"health_id": ""}, "vendor.health_id_required"),
        ({"health_id_expires_on": None}, "vendor.health_id_required"),
    ],
)
def test_profile_rules(app, make_user, now, changes, code):
    user = make_user(role=Role.VENDOR)
    with pytest.raises(Invalid) as caught:
        vendors.save_profile(user, profile(**changes), now=now)
    assert caught.value.code == code
    assert db.session.scalar(db.select(db.func.count(Vendor.id))) == 0


def test_district_must_be_in_the_county(app, make_user, now):
    with pytest.raises(Invalid):
        vendors.save_profile(
            make_user(role=Role.VENDOR), profile(county_id=reference_ids(Region)["kahak"]), now=now
        )


def test_unstarred_field_needs_no_health_id(app, make_user, now):
    user = make_user(role=Role.VENDOR)
    data = profile(field_id=reference_ids(Field)["sewing"], health_id="", health_id_expires_on=None)
    assert vendors.save_profile(user, data, now=now).health_id is None


def test_verification_flow_notifies_the_vendor(app, make_user, now):
    user, organiser = make_user(role=Role.VENDOR, locale="en"), make_user(role=Role.ORGANISER)
    vendor = vendors.save_profile(user, profile(), now=now)
    with pytest.raises(Conflict):
        vendors.decide_vendor(organiser, vendor.id, "verify", now=now)  # still a draft
    vendors.submit_profile(user, now=now)
    with pytest.raises(Invalid):
        vendors.decide_vendor(organiser, vendor.id, "reject", reason="  ", now=now)
    vendors.decide_vendor(
        organiser, vendor.id, "reject", reason="Licence photo unreadable", now=now
    )
    assert db.session.get(Vendor, vendor.id).status_reason == "Licence photo unreadable"
    vendors.submit_profile(user, now=now)
    vendors.decide_vendor(organiser, vendor.id, "verify", now=now)
    assert db.session.get(Vendor, vendor.id).is_public
    vendors.decide_vendor(organiser, vendor.id, "suspend", reason="Complaint", now=now)
    subjects = db.session.scalars(
        db.select(Message.subject).where(Message.user_id == user.id)
    ).all()
    assert "Your vendor profile needs changes" in subjects
    assert "Your vendor profile is verified" in subjects
    assert "Your vendor profile is suspended" in subjects
    body = db.session.scalar(
        db.select(Message.body).where(Message.subject == "Your vendor profile needs changes")
    )
    assert "Licence photo unreadable" in body
    actions = [e.action for e in list_audit(object_type="vendors", object_id=vendor.id)]
    assert actions[:4] == ["vendor.suspend", "vendor.verify", "vendor.submit", "vendor.reject"]


def test_submit_refuses_when_already_pending_or_no_profile(app, make_user, make_vendor, now):
    vendor = make_vendor(status="pending")
    with pytest.raises(Conflict):
        vendors.submit_profile(vendor.user, now=now)
    with pytest.raises(Conflict):
        vendors.submit_profile(make_user(role=Role.VENDOR), now=now)


def test_public_vendor_lookup_hides_unverified(app, make_vendor):
    with pytest.raises(NotFound):
        vendors.get_public_vendor(make_vendor(status="pending").id)
    with pytest.raises(NotFound):
        vendors.get_public_vendor(999)
    assert vendors.get_public_vendor(make_vendor().id)


def test_paper_flags(app, make_vendor):
    vendor = make_vendor(
        licence_expires_on=date(2026, 12, 10), health_id_expires_on=date(2026, 11, 1)
    )
    today = date(2026, 11, 20)
    assert vendors.paper_flags(vendor, today) == [
        ("licence", "expiring", date(2026, 12, 10)),
        ("health_id", "expired", date(2026, 11, 1)),
    ]
    assert vendors.paper_flags(vendor, today - timedelta(days=60)) == []


def test_warn_about_papers_once_per_stage(app, make_user, make_vendor, now):
    user = make_user(role=Role.VENDOR, locale="en")
    vendor = make_vendor(user=user, licence_expires_on=date(2026, 12, 10))

    def count():
        query = db.select(db.func.count(Message.id)).where(
            Message.user_id == vendor.user_id, Message.subject.like("%home-business licence%")
        )
        return db.session.scalar(query)

    before = count()
    assert vendors.warn_about_papers(now=now) == 1
    assert vendors.warn_about_papers(now=now + timedelta(days=1)) == 0
    assert count() == before + 1
    # Once expired it warns again, once.
    assert vendors.warn_about_papers(now=now + timedelta(days=25)) == 1
    assert vendors.warn_about_papers(now=now + timedelta(days=26)) == 0


def test_organisers_list_vendors_needing_attention(app, make_vendor):
    make_vendor(licence_expires_on=date(2026, 12, 1))
    make_vendor(licence_expires_on=date(2028, 1, 1))
    make_vendor(status="pending")
    page = vendors.list_vendors(papers="attention", page=1, per_page=20, today=date(2026, 11, 20))
    assert len(page.items) == 1
    assert vendors.count_by_status() == {"verified": 2, "pending": 1}
