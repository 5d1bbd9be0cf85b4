"""Vendor pages: profile, submission, the verification queue and claiming."""

import io
import re

import pytest

from bazaar.extensions import db
from bazaar.models import Field, Region, Role, Vendor
from bazaar.services import claims, imports
from tests.conftest import reference_ids
from tests.services.test_images import jpeg


def profile_form(**changes):
    data = {
        "business_name": "ترشی‌سرای مریم",
        "owner_name": "مریم",
        "mobile": "۰۹۱۲۱۲۳۴۵۶۷",
        "county_id": str(reference_ids(Region)["qom"]),
        "district_id": "",
        "field_id": str(reference_ids(Field)["pickles-jam"]),
        "licence_number": "QM-1",
        "licence_body": "اداره کار",
        "licence_kind": "independent",
        "licence_issued_on": "۱۴۰۳/۰۱/۱۵",
        "licence_expires_on": "1406-01-15",
        "health_id": "H-1",
        "health_id_expires_on": "۱۴۰۶/۰۶/۳۱",
    }
    return {**data, **changes}


def test_vendor_fills_profile_with_jalali_dates_and_a_logo(client, login_as):
    user = login_as(Role.VENDOR)
    data = profile_form(logo=(io.BytesIO(jpeg()), "logo.png"))
    response = client.post("/vendors/me/profile", data=data, content_type="multipart/form-data")
    assert response.status_code == 302
    vendor = db.session.scalar(db.select(Vendor).where(Vendor.user_id == user.id))
    assert vendor.licence_issued_on.isoformat() == "2024-04-03"
    assert vendor.health_id_expires_on.isoformat() == "2027-09-22"
    assert vendor.logo.endswith(".jpg")
    page = client.get("/vendors/me/profile").get_data(as_text=True)
    assert "۱۴۰۳/۰۱/۱۵" in page
    assert client.post("/vendors/me/submit").status_code == 302
    assert db.session.get(Vendor, vendor.id).status == "pending"
    assert "در انتظار تأیید" in client.get("/vendors/me").get_data(as_text=True)


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"licence_expires_on": "۱۴۰۴/۱۲/۳۰"}, "تاریخ شمسی"),  # 30 Esfand 1404 does not exist
        ({"health_id": ""}, "شناسهٔ بهداشتی"),
        ({"mobile": "12"}, "شمارهٔ همراه ایرانی"),
        ({"county_id": "999"}, "Not a valid choice"),
        ({"licence_issued_on": "۱۴۰۷/۰۱/۰۱"}, "پس از صدور"),
    ],
)
def test_profile_bad_input_is_explained_and_saves_nothing(client, login_as, changes, message):
    login_as(Role.VENDOR)
    response = client.post("/vendors/me/profile", data=profile_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True) or "invalid-feedback" in response.get_data(
        as_text=True
    )
    assert db.session.scalar(db.select(db.func.count(Vendor.id))) == 0


def test_profile_refuses_a_non_image_logo(client, login_as):
    login_as(Role.VENDOR)
    data = profile_form(logo=(io.BytesIO(b"<html></html>"), "logo.jpg"))
    response = client.post("/vendors/me/profile", data=data, content_type="multipart/form-data")
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Vendor.id))) == 0


@pytest.mark.parametrize("role", [Role.CITIZEN, Role.ORGANISER])
def test_vendor_pages_are_for_vendors(client, login_as, role):
    login_as(role)
    assert client.get("/vendors/me").status_code == 403


def test_a_new_profile_starts_from_the_account_and_marks_starred_fields(client, login_as):
    login_as(Role.VENDOR, name="مریم کریمی", mobile="09125556666")
    page = client.get("/vendors/me/profile").get_data(as_text=True)
    assert re.search(r'id="owner_name"[^>]*value="مریم کریمی"', page)
    assert re.search(r'id="mobile"[^>]*value="09125556666"', page)
    # Food fields carry the star the help text explains; others do not.
    assert "تولید غذاهای خانگی ★</option>" in page
    assert "خیاطی و دوخت پوشاک</option>" in page
    assert "رشته‌هایی که با ★ مشخص شده‌اند" in page
    # Each district names its county, and the district list follows the county field.
    qom = db.session.scalar(db.select(Region.id).where(Region.code == "qom"))
    assert re.search(rf'data-county="{qom}"[^>]*>', page)
    assert 'data-follows="county_id"' in page


def test_citizens_cannot_see_the_queue(client, login_as):
    login_as(Role.CITIZEN)
    assert client.get("/vendors/queue").status_code == 403


def test_organiser_verifies_from_the_queue(client, login_as, make_vendor):
    vendor = make_vendor(status="pending")
    login_as(Role.ORGANISER)
    queue = client.get("/vendors/queue").get_data(as_text=True)
    assert vendor.business_name in queue
    review = client.get(f"/vendors/{vendor.id}/review").get_data(as_text=True)
    assert vendor.licence_number in review
    seen = re.search(r'name="seen"[^>]*value="([^"]+)"', review).group(1)
    data = {"reason": "", "seen": seen}
    assert client.post(f"/vendors/{vendor.id}/verify", data=data).status_code == 302
    assert db.session.get(Vendor, vendor.id).status == "verified"


def test_verifying_without_saying_what_was_reviewed_is_refused(client, login_as, make_vendor):
    vendor = make_vendor(status="pending")
    login_as(Role.ORGANISER)
    client.post(f"/vendors/{vendor.id}/verify", data={"reason": ""})
    assert db.session.get(Vendor, vendor.id).status == "pending"


def test_rejecting_without_a_reason_changes_nothing(client, login_as, make_vendor):
    vendor = make_vendor(status="pending")
    login_as(Role.ORGANISER)
    response = client.post(
        f"/vendors/{vendor.id}/reject", data={"reason": ""}, follow_redirects=True
    )
    assert "دلیل" in response.get_data(as_text=True)
    assert db.session.get(Vendor, vendor.id).status == "pending"


def test_decision_on_unknown_vendor_is_404(client, login_as):
    login_as(Role.ORGANISER)
    assert client.post("/vendors/999/verify").status_code == 404
    assert client.get("/vendors/999/review").status_code == 404


def test_queue_filters_papers_and_empty_state(client, login_as, make_vendor):
    login_as(Role.ORGANISER)
    assert "هیچ فروشنده‌ای" in client.get("/vendors/queue").get_data(as_text=True)
    assert client.get("/vendors/queue?status=bogus&page=x").status_code == 200
    assert client.get("/vendors/queue?status=all&papers=attention").status_code == 200


def test_queue_searches_and_keeps_the_search_across_tabs_and_pages(client, login_as, make_vendor):
    make_vendor(business_name="ترشی مادربزرگ", mobile="09120001111")
    make_vendor(business_name="کیک‌پزی مریم")
    login_as(Role.ORGANISER)
    page = client.get("/vendors/queue?status=all&q=۰۹۱۲۰۰۰۱۱۱۱&sort=name").get_data(as_text=True)
    assert "ترشی مادربزرگ" in page
    assert "کیک‌پزی مریم" not in page
    assert 'value="۰۹۱۲۰۰۰۱۱۱۱"' in page  # the search box keeps what was typed
    # The status tabs keep the search and the sort.
    assert "status=verified&amp;q=" in page
    assert "sort=name" in page
    bad = client.get("/vendors/queue?county=x&field=&sort=bogus&papers=never")
    assert bad.status_code == 200


def test_claiming_an_imported_business(client, app, now):
    header = (
        "vendor_ref,business_name,owner_name,mobile,county,field,licence_number,licence_expires,"
    )
    header += "health_id,health_id_expires,description\n"
    row = "V1,خیاطی زهرا,زهرا,09121112244,قم,sewing,,,,,\n"
    imports.import_vendors((header + row).encode(), actor=None, now=now)
    vendor = db.session.scalar(db.select(Vendor))
    token = claims.make_claim_token(vendor, now.now(now.tzinfo))
    assert "خیاطی زهرا" in client.get(f"/vendors/claim/{token}").get_data(as_text=True)
    bad = client.post(
        f"/vendors/claim/{token}", data={"name": "زهرا", "password": "123", "confirm": "123"}
    )
    assert bad.status_code == 400
    good = client.post(
        f"/vendors/claim/{token}",
        data={"name": "زهرا", "password": "sewing passphrase", "confirm": "sewing passphrase"},
    )
    assert good.headers["Location"] == "/vendors/me"
    assert db.session.get(Vendor, vendor.id).user_id is not None
    assert client.get(f"/vendors/claim/{token}").status_code == 302
    assert client.get("/vendors/claim/forged").status_code == 302


def vendor_form(vendor, **changes):
    """The profile form as a verified vendor's stored profile fills it, with some changes."""
    from persiantools.jdatetime import JalaliDate

    def jalali(day):
        return JalaliDate(day).strftime("%Y/%m/%d")

    data = {
        key: getattr(vendor, key) or ""
        for key in ("business_name", "owner_name", "mobile", "licence_number", "health_id")
    }
    data.update(
        county_id=str(vendor.county_id),
        field_id=str(vendor.field_id),
        licence_kind=vendor.licence_kind,
        licence_expires_on=jalali(vendor.licence_expires_on),
        health_id_expires_on=jalali(vendor.health_id_expires_on),
    )
    return {**data, **changes}


def test_verified_vendor_renaming_waits_for_review_and_old_name_stays_public(
    client, auth, make_vendor, make_product
):
    vendor = make_vendor(business_name="ترشی‌سرای قدیم")
    product = make_product(vendor=vendor, name="ترشی لیته")
    auth.login(vendor.user.email)
    form = vendor_form(vendor, business_name="ترشی‌سرای نو", health_id="H-NEW")
    response = client.post("/vendors/me/profile", data=form, follow_redirects=True)
    page = response.get_data(as_text=True)
    assert "در انتظار بررسی برگزارکنندگان" in page
    assert "شناسهٔ بهداشتی" in page  # which fields wait
    assert "ترشی‌سرای نو" in client.get("/vendors/me/profile").get_data(as_text=True)
    assert db.session.get(Vendor, vendor.id).status == "verified"
    auth.logout()
    public = client.get(f"/catalogue/vendors/{vendor.id}").get_data(as_text=True)
    assert "ترشی‌سرای قدیم" in public
    assert "ترشی‌سرای نو" not in public
    product_page = client.get(f"/catalogue/products/{product.id}").get_data(as_text=True)
    assert "ترشی‌سرای نو" not in product_page  # neither on the page nor in its JSON-LD
    assert "ترشی‌سرای قدیم" in product_page
    assert "ترشی‌سرای نو" not in client.get("/catalogue/?q=نو").get_data(as_text=True)


def test_organiser_approves_a_change_from_the_queue(client, login_as, make_vendor, now):
    from bazaar.services import vendors

    vendor = make_vendor(business_name="نام قدیم")
    data = {key: getattr(vendor, key) for key in vendors.PROFILE_FIELDS}
    vendors.save_profile(vendor.user, **{**data, "business_name": "نام نو"}, now=now)
    change = db.session.get(Vendor, vendor.id).pending_change
    login_as(Role.ORGANISER)
    queue = client.get("/vendors/queue?status=changes").get_data(as_text=True)
    assert "نام قدیم" in queue
    assert "نام نو" in queue  # old → new in the queue itself
    review = client.get(f"/vendors/{vendor.id}/review").get_data(as_text=True)
    assert "نام نو" in review
    assert "تغییرهای در انتظار بررسی" in review
    response = client.post(f"/vendors/changes/{change.id}/approve", data={"change-reason": ""})
    assert response.headers["Location"] == "/vendors/queue?status=changes"
    assert db.session.get(Vendor, vendor.id).business_name == "نام نو"
    client.post("/accounts/logout")
    assert "نام نو" in client.get(f"/catalogue/vendors/{vendor.id}").get_data(as_text=True)


def test_organiser_returns_a_change_with_a_reason_and_the_vendor_sees_it(
    client, auth, login_as, make_vendor, now
):
    from bazaar.services import vendors

    vendor = make_vendor(business_name="نام قدیم")
    data = {key: getattr(vendor, key) for key in vendors.PROFILE_FIELDS}
    vendors.save_profile(vendor.user, **{**data, "business_name": "نام نو"}, now=now)
    change = db.session.get(Vendor, vendor.id).pending_change
    login_as(Role.ORGANISER)
    refused = client.post(
        f"/vendors/changes/{change.id}/return",
        data={"change-reason": " "},
        headers={"Referer": f"/vendors/{vendor.id}/review"},
        follow_redirects=True,
    )
    assert "دلیل" in refused.get_data(as_text=True)
    assert db.session.get(Vendor, vendor.id).pending_change is not None
    client.post(f"/vendors/changes/{change.id}/return", data={"change-reason": "با مجوز نمی‌خواند"})
    assert db.session.get(Vendor, vendor.id).business_name == "نام قدیم"
    auth.logout()
    auth.login(vendor.user.email)
    dashboard = client.get("/vendors/me").get_data(as_text=True)
    assert "با مجوز نمی‌خواند" in dashboard
    assert "نام قدیم" in dashboard


def test_deciding_an_unknown_or_replaced_change(client, login_as, make_vendor, now):
    from bazaar.services import vendors

    vendor = make_vendor()
    data = {key: getattr(vendor, key) for key in vendors.PROFILE_FIELDS}
    vendors.save_profile(vendor.user, **{**data, "licence_number": "A-1"}, now=now)
    stale = db.session.get(Vendor, vendor.id).pending_change.id
    vendors.save_profile(vendor.user, **{**data, "licence_number": "A-2"}, now=now)
    login_as(Role.ORGANISER)
    assert client.post("/vendors/changes/999/approve").status_code == 404
    response = client.post(f"/vendors/changes/{stale}/approve", follow_redirects=True)
    assert "دوباره بررسی کنید" in response.get_data(as_text=True)
    assert db.session.get(Vendor, vendor.id).licence_number == vendor.licence_number


def test_vendors_cannot_decide_changes(client, auth, make_vendor, now):
    from bazaar.services import vendors

    vendor = make_vendor()
    data = {key: getattr(vendor, key) for key in vendors.PROFILE_FIELDS}
    vendors.save_profile(vendor.user, **{**data, "business_name": "خودتأیید"}, now=now)
    change = db.session.get(Vendor, vendor.id).pending_change
    auth.login(vendor.user.email)
    assert client.post(f"/vendors/changes/{change.id}/approve").status_code == 403
    assert db.session.get(Vendor, vendor.id).business_name != "خودتأیید"


def test_verifying_refuses_a_profile_changed_after_the_organiser_opened_it(
    client, login_as, make_vendor, now
):
    import re
    from datetime import timedelta

    from bazaar.services import vendors

    vendor = make_vendor(status="pending")
    login_as(Role.ORGANISER)
    page = client.get(f"/vendors/{vendor.id}/review").get_data(as_text=True)
    seen = re.search(r'name="seen" type="hidden" value="([^"]+)"', page).group(1)
    data = {key: getattr(vendor, key) for key in vendors.PROFILE_FIELDS}
    later = now + timedelta(minutes=1)
    vendors.save_profile(vendor.user, **{**data, "health_id": "H-UNSEEN"}, now=later)
    response = client.post(
        f"/vendors/{vendor.id}/verify",
        data={"seen": seen},
        headers={"Referer": f"/vendors/{vendor.id}/review"},
        follow_redirects=True,
    )
    assert "دوباره" in response.get_data(as_text=True)
    assert db.session.get(Vendor, vendor.id).status == "pending"
    page = client.get(f"/vendors/{vendor.id}/review").get_data(as_text=True)
    seen = re.search(r'name="seen" type="hidden" value="([^"]+)"', page).group(1)
    client.post(f"/vendors/{vendor.id}/verify", data={"seen": seen})
    assert db.session.get(Vendor, vendor.id).status == "verified"
