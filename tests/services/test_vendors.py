"""Vendor profiles, papers and verification."""

from datetime import date, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import Category, Field, Message, Region, Role, Vendor, VendorChange
from bazaar.services import catalogue, stalls, vendors
from bazaar.services.audit import list_audit
from bazaar.services.catalogue import Filters
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
    vendor = vendors.save_profile(user, **profile(), now=now)
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
        vendors.save_profile(user, **profile(**changes), now=now)
    assert caught.value.code == code
    assert db.session.scalar(db.select(db.func.count(Vendor.id))) == 0


def test_district_must_be_in_the_county(app, make_user, now):
    with pytest.raises(Invalid):
        vendors.save_profile(
            make_user(role=Role.VENDOR),
            **profile(county_id=reference_ids(Region)["kahak"]),
            now=now,
        )


def test_unstarred_field_needs_no_health_id(app, make_user, now):
    user = make_user(role=Role.VENDOR)
    data = profile(field_id=reference_ids(Field)["sewing"], health_id="", health_id_expires_on=None)
    assert vendors.save_profile(user, **data, now=now).health_id is None


def test_verification_flow_notifies_the_vendor(app, make_user, now):
    user, organiser = make_user(role=Role.VENDOR, locale="en"), make_user(role=Role.ORGANISER)
    vendor = vendors.save_profile(user, **profile(), now=now)
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


def _found(today=date(2026, 11, 20), **search):
    page = vendors.list_vendors(page=1, per_page=20, today=today, **search)
    return [v.business_name for v in page.items]


def test_organisers_find_vendors_by_name_mobile_licence_or_field(app, make_vendor):
    make_vendor(business_name="ترشی مادربزرگ", owner_name="زهرا يزدي", mobile="09120001111")
    make_vendor(business_name="کیک‌پزی مریم", licence_number="QM-1404-77", field="pastry-bread")
    assert _found(q="مادربزرگ") == ["ترشی مادربزرگ"]
    # Arabic ي and Persian ی fold together, as in the catalogue's search.
    assert _found(q="زهرا یزدی") == ["ترشی مادربزرگ"]
    assert _found(q="۰۹۱۲۰۰۰۱۱۱۱") == ["ترشی مادربزرگ"]
    assert _found(q="qm-1404") == ["کیک‌پزی مریم"]
    assert _found(q="شیرینی") == ["کیک‌پزی مریم"]  # the field's name
    assert _found(q="نیست") == []
    assert _found(q="100%_") == []  # LIKE's wildcards are plain characters


def test_organisers_filter_vendors_by_county_field_and_expired_papers(app, make_vendor):
    counties, fields = reference_ids(Region), reference_ids(Field)
    make_vendor(business_name="الف", county="kahak", licence_expires_on=date(2026, 11, 1))
    make_vendor(business_name="ب", county="qom", field="sewing")
    make_vendor(business_name="پ", county="kahak", licence_expires_on=date(2026, 12, 1))
    assert sorted(_found(county_id=counties["kahak"])) == ["الف", "پ"]
    assert _found(field_id=fields["sewing"]) == ["ب"]
    assert _found(papers="expired") == ["الف"]
    assert sorted(_found(papers="attention")) == ["الف", "پ"]


def test_organisers_sort_the_vendor_list(app, make_vendor):
    make_vendor(business_name="ج", licence_expires_on=date(2027, 1, 1))
    make_vendor(business_name="آ", licence_expires_on=date(2028, 1, 1))
    make_vendor(business_name="ب", licence_expires_on=date(2026, 12, 1))
    assert _found(sort="name") == ["آ", "ب", "ج"]
    assert _found(sort="expiry") == ["ب", "ج", "آ"]
    assert _found(sort="newest") == ["ب", "آ", "ج"]


# --- changes to what the organisers verified ---------------------------------------------


def current_profile(vendor, **changes):
    """The vendor's stored profile with some values changed, as the profile form sends it."""
    return {**{key: getattr(vendor, key) for key in vendors.PROFILE_FIELDS}, **changes}


def test_verified_vendor_changing_reviewed_fields_stays_verified_with_old_values(
    app, make_vendor, make_product, now
):
    vendor = make_vendor(business_name="ترشی قدیم")
    make_product(vendor=vendor, name="ترشی لیته")
    vendors.save_profile(
        vendor.user,
        **current_profile(vendor, business_name="ترشی جدید", health_id="H-NEW", description="نو"),
        now=now,
    )
    vendor = db.session.get(Vendor, vendor.id)
    assert vendor.status == "verified"
    assert (vendor.business_name, vendor.health_id) == ("ترشی قدیم", f"H-{vendor.user_id}")
    assert vendor.description == "نو"  # not a reviewed field: changes at once
    assert vendor.pending_change.proposed == {"business_name": "ترشی جدید", "health_id": "H-NEW"}
    assert vendors.get_public_vendor(vendor.id).business_name == "ترشی قدیم"
    assert catalogue.search_vendors("جدید") == []
    assert [v.id for v in catalogue.search_vendors("قدیم")] == [vendor.id]
    assert catalogue.browse_products(Filters(q="جدید"), 1, 20)[0].items == []
    assert len(catalogue.browse_products(Filters(q="قدیم"), 1, 20)[0].items) == 1
    assert vendors.profile_values(vendor)["business_name"] == "ترشی جدید"
    actions = [e.action for e in list_audit(object_type="vendors", object_id=vendor.id)]
    assert actions[:2] == ["vendor.update", "vendor.change_propose"]


def test_stall_papers_are_checked_on_the_verified_health_id_until_approved(
    app, make_vendor, make_bazaar, organiser, now
):
    vendor = make_vendor(health_id_expires_on=date(2026, 12, 1))  # before the bazaar
    bazaar = make_bazaar()
    food = next(t for t in bazaar.stall_types if t.is_food)
    jam = [reference_ids(Category)["jam-honey"]]

    def apply():
        return stalls.apply_for_stall(vendor.user, bazaar.id, food.id, jam, "", now=now)

    vendors.save_profile(
        vendor.user,
        **current_profile(vendor, health_id="H-RENEWED", health_id_expires_on=date(2028, 1, 1)),
        now=now,
    )
    with pytest.raises(Invalid) as caught:
        apply()
    assert caught.value.code == "stall.health_id_needed"
    change = db.session.get(Vendor, vendor.id).pending_change
    vendors.approve_change(organiser, change.id, now=now)
    assert db.session.get(Vendor, vendor.id).health_id == "H-RENEWED"
    assert apply().state == "allocated"


def test_approving_a_change_publishes_it_and_tells_the_vendor(
    app, make_user, make_vendor, make_product, organiser, now
):
    vendor = make_vendor(user=make_user(role=Role.VENDOR, locale="en"))
    make_product(vendor=vendor)
    sewing = reference_ids(Field)["sewing"]
    vendors.save_profile(
        vendor.user, **current_profile(vendor, business_name="خیاطی نو", field_id=sewing), now=now
    )
    change = db.session.get(Vendor, vendor.id).pending_change
    vendors.approve_change(organiser, change.id, now=now)
    vendor = db.session.get(Vendor, vendor.id)
    assert (vendor.business_name, vendor.field_id, vendor.pending_change) == (
        "خیاطی نو",
        sewing,
        None,
    )
    assert [v.id for v in catalogue.search_vendors("نو")] == [vendor.id]
    assert len(catalogue.browse_products(Filters(q="خیاطی"), 1, 20)[0].items) == 1
    message = db.session.scalar(
        db.select(Message).where(Message.user_id == vendor.user_id).order_by(Message.id.desc())
    )
    assert message.subject == "Your profile changes are approved"
    assert "Business name, Field" in message.body
    entry = list_audit(object_type="vendors", object_id=vendor.id)[0]
    assert entry.action == "vendor.change_approve"
    assert entry.details["old"]["business_name"] == f"کسب‌وکار {vendor.user_id}"
    with pytest.raises(Conflict):
        vendors.approve_change(organiser, change.id, now=now)  # already decided


def test_returning_a_change_keeps_the_old_values_and_tells_the_reason(
    app, make_user, make_vendor, organiser, now
):
    vendor = make_vendor(user=make_user(role=Role.VENDOR, locale="en"))
    old_name = vendor.business_name
    vendors.save_profile(vendor.user, **current_profile(vendor, business_name="نام تازه"), now=now)
    change = db.session.get(Vendor, vendor.id).pending_change
    with pytest.raises(Invalid):
        vendors.return_change(organiser, change.id, reason=" ", now=now)
    vendors.return_change(organiser, change.id, reason="Name differs from licence", now=now)
    vendor = db.session.get(Vendor, vendor.id)
    assert (vendor.business_name, vendor.status, vendor.pending_change) == (
        old_name,
        "verified",
        None,
    )
    assert vendors.find_latest_change(vendor).reason == "Name differs from licence"
    assert vendors.profile_values(vendor)["business_name"] == old_name
    message = db.session.scalar(
        db.select(Message).where(Message.user_id == vendor.user_id).order_by(Message.id.desc())
    )
    assert message.subject == "Your profile changes were sent back"
    assert "Name differs from licence" in message.body
    assert "Business name" in message.body


def test_a_newer_proposal_replaces_the_pending_one_so_a_stale_decision_fails(
    app, make_vendor, organiser, now
):
    vendor = make_vendor()
    vendors.save_profile(vendor.user, **current_profile(vendor, business_name="نام اول"), now=now)
    first = db.session.get(Vendor, vendor.id).pending_change
    vendors.save_profile(vendor.user, **current_profile(vendor, business_name="نام دوم"), now=now)
    second = db.session.get(Vendor, vendor.id).pending_change
    assert first.id != second.id
    assert second.proposed == {"business_name": "نام دوم"}
    assert db.session.get(VendorChange, first.id).status == "withdrawn"
    with pytest.raises(Conflict):
        vendors.approve_change(organiser, first.id, now=now)
    assert db.session.get(Vendor, vendor.id).business_name == vendor.business_name
    # Saving the verified values again withdraws the proposal altogether.
    vendors.save_profile(vendor.user, **current_profile(vendor), now=now)
    assert db.session.get(Vendor, vendor.id).pending_change is None
    assert vendors.count_pending_changes() == 0


def test_saving_the_same_proposal_again_keeps_it(app, make_vendor, now):
    vendor = make_vendor()
    data = current_profile(vendor, licence_number="QM-99")
    vendors.save_profile(vendor.user, **data, now=now)
    first = db.session.get(Vendor, vendor.id).pending_change.id
    vendors.save_profile(vendor.user, **data, now=now)
    assert db.session.get(Vendor, vendor.id).pending_change.id == first


def test_unreviewed_fields_and_unverified_vendors_change_at_once(app, make_vendor, now):
    verified = make_vendor()
    vendors.save_profile(
        verified.user,
        **current_profile(verified, mobile="09129998877", owner_name="زهرا", address="کوچهٔ ۳"),
        now=now,
    )
    verified = db.session.get(Vendor, verified.id)
    assert (verified.mobile, verified.owner_name) == ("09129998877", "زهرا")
    assert verified.pending_change is None
    pending = make_vendor(status="pending")
    vendors.save_profile(pending.user, **current_profile(pending, business_name="تازه"), now=now)
    pending = db.session.get(Vendor, pending.id)
    assert (pending.business_name, pending.pending_change) == ("تازه", None)


def test_suspended_vendor_changes_also_wait_for_review(app, make_vendor, now):
    vendor = make_vendor(status="suspended")
    vendors.save_profile(vendor.user, **current_profile(vendor, health_id="H-2"), now=now)
    vendor = db.session.get(Vendor, vendor.id)
    assert vendor.health_id != "H-2"
    assert vendor.pending_change.proposed == {"health_id": "H-2"}


def test_organisers_list_vendors_with_changes_to_review(app, make_vendor, now):
    changed = make_vendor()
    make_vendor()
    vendors.save_profile(changed.user, **current_profile(changed, licence_body="اداره"), now=now)
    page = vendors.list_vendors(changes=True, page=1, per_page=20, today=date(2026, 11, 20))
    assert [v.id for v in page.items] == [changed.id]
    assert vendors.count_pending_changes() == 1


def test_one_pending_change_per_vendor_is_a_database_rule(app, make_vendor, now):
    vendor = make_vendor()
    for _ in range(2):
        db.session.add(VendorChange(vendor_id=vendor.id, proposed={}, created_at=now))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_suspending_hides_products_at_once_and_tells_the_reason(app, make_product, organiser, now):
    product = make_product()
    vendor = product.vendor
    assert catalogue.get_public_product(product.id)
    vendors.decide_vendor(
        organiser, vendor.id, "suspend", reason="Complaint about hygiene", now=now
    )
    with pytest.raises(NotFound):
        catalogue.get_public_product(product.id)
    assert catalogue.browse_products(Filters(), 1, 20)[0].items == []
    assert catalogue.search_vendors(vendor.business_name) == []
    body = db.session.scalar(
        db.select(Message.body).where(Message.user_id == vendor.user_id).order_by(Message.id.desc())
    )
    assert "Complaint about hygiene" in body
