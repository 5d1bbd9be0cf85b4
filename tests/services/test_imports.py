"""CSV import from the licence system: all rows or none, every bad row reported."""

import pytest
from flask import current_app

from bazaar.extensions import db
from bazaar.models import Message, Product, Vendor
from bazaar.services import imports

VENDOR_HEADER = (
    "vendor_ref,business_name,owner_name,mobile,county,field,licence_number,licence_expires,"
    "health_id,health_id_expires,description,email\n"
)
VENDORS = (
    VENDOR_HEADER
    + "V1,ترشی مریم,مریم کریمی,۰۹۱۲۱۱۱۲۲۳۳,قم,ترشیجات، شوریجات و مربا,"
    + "L-1,۱۴۰۶/۰۱/۱۵,H-1,2027-05-01,ترشی خانگی,maryam@example.com\n"
    + "V2,خیاطی زهرا,زهرا,+989121112244,كهك,sewing,L-2,1406-02-01,,,دوخت,\n"
)
PRODUCTS = (
    "vendor_ref,product_ref,name,description,category,price_toman,unit,availability\n"
    "V1,P1,ترشی لیته,خانگی,ترشی و شور,۱۲۰٬۰۰۰,شیشه,موجود\n"
    'V2,P1,روسری نخی,,chador-scarf,"250,000",عدد,to_order\n'
)


def run_vendors(text, now, bom=False):
    data = ("\ufeff" + text if bom else text).encode("utf-8")
    return imports.import_vendors(data, actor=None, now=now)


def count(model):
    return db.session.scalar(db.select(db.func.count(model.id)))


@pytest.mark.parametrize("bom", [False, True])
def test_import_vendors_creates_verified_vendors_and_sends_claim_links(app, now, bom):
    report = run_vendors(VENDORS, now, bom=bom)
    assert report.ok, [e.message for e in report.errors]
    assert (report.created, report.updated) == (2, 0)
    v1 = db.session.scalar(db.select(Vendor).where(Vendor.ref == "V1"))
    assert (v1.status, v1.mobile, v1.user_id) == ("verified", "09121112233", None)
    assert v1.licence_expires_on.isoformat() == "2027-04-04"  # 15 Farvardin 1406
    assert v1.health_id_expires_on.isoformat() == "2027-05-01"
    messages = db.session.scalars(db.select(Message).order_by(Message.id)).all()
    assert [(m.channel, m.recipient) for m in messages] == [
        ("email", "maryam@example.com"),
        ("sms", "09121112244"),
    ]
    base = current_app.config["PUBLIC_BASE_URL"]
    assert f"{base}/vendors/claim/" in messages[0].body


def test_reimport_updates_instead_of_duplicating(app, now):
    run_vendors(VENDORS, now)
    report = run_vendors(VENDORS.replace("ترشی مریم", "ترشی‌سرای مریم"), now)
    assert (report.created, report.updated) == (0, 2)
    assert count(Vendor) == 2
    assert (
        db.session.scalar(db.select(Vendor.business_name).where(Vendor.ref == "V1"))
        == "ترشی‌سرای مریم"
    )


def test_a_file_with_bad_rows_changes_nothing_and_lists_every_problem(app, now):
    run_vendors(VENDORS, now)
    bad = (
        VENDOR_HEADER
        + "V1,نام تازه,مریم,09121112233,قم,pickles-jam,L-1,1406/01/15,H-1,1406/01/15,,\n"
        + "V3,,x,12345,تهران,چیزی,L-3,1404/12/30,,,,not-an-email\n"
        + "V3,y,x,09120000000,قم,home-food,,,,,,\n"
    )
    report = run_vendors(bad, now)
    assert not report.ok
    problems = {(e.row, e.column, e.code) for e in report.errors}
    assert problems == {
        (3, "business_name", "import.required"),
        (3, "mobile", "import.bad_mobile"),
        (3, "county", "import.unknown"),
        (3, "field", "import.unknown"),
        (3, "licence_expires", "import.bad_date"),
        (3, "email", "import.bad_email"),
        (4, "health_id", "import.health_id_required"),
        (4, "health_id_expires", "import.required"),
        (4, "vendor_ref", "import.duplicate_ref"),
    }
    assert (
        db.session.scalar(db.select(Vendor.business_name).where(Vendor.ref == "V1")) == "ترشی مریم"
    )
    assert count(Vendor) == 2


def test_report_messages_are_in_the_users_language(app, now):
    from flask_babel import force_locale

    report = run_vendors(VENDOR_HEADER + "V9,x,y,123,قم,sewing,,,,,,\n", now)
    with app.test_request_context(), force_locale("en"):
        assert report.errors[0].message == "“123” is not an Iranian mobile number."


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"\xff\xfe not utf-8", "import.not_utf8"),
        (b"vendor_ref,name\nV1,x\n", "import.missing_columns"),
        (VENDOR_HEADER.encode(), "import.empty"),
    ],
)
def test_unreadable_files_are_refused(app, now, data, code):
    report = imports.import_vendors(data, actor=None, now=now)
    assert [e.code for e in report.errors] == [code]


def test_import_products_with_persian_prices_and_names(app, now):
    run_vendors(VENDORS, now)
    report = imports.import_products(PRODUCTS.encode(), actor=None, now=now)
    assert report.ok, [e.message for e in report.errors]
    rows = db.session.execute(
        db.select(Product.name, Product.price_toman, Product.availability).order_by(Product.id)
    ).all()
    assert [tuple(r) for r in rows] == [
        ("ترشی لیته", 120000, "in_stock"),
        ("روسری نخی", 250000, "to_order"),
    ]
    again = imports.import_products(
        PRODUCTS.replace("۱۲۰٬۰۰۰", "۱۳۰٬۰۰۰").encode(), actor=None, now=now
    )
    assert (again.created, again.updated) == (0, 2)
    assert (
        db.session.scalar(
            db.select(Product.price_toman).where(Product.ref == "P1").order_by(Product.id)
        )
        == 130000
    )


def test_import_products_refuses_unknown_vendor_and_bad_values(app, now):
    run_vendors(VENDORS, now)
    bad = (
        "vendor_ref,product_ref,name,description,category,price_toman,unit,availability\n"
        "V1,P1,ok,,pickles,1000,kg,\n"
        "NOPE,P2,x,,pickles,-5,kg,sold out\n"
    )
    report = imports.import_products(bad.encode(), actor=None, now=now)
    assert {(e.row, e.column) for e in report.errors} == {
        (3, "vendor_ref"),
        (3, "price_toman"),
        (3, "availability"),
    }
    assert count(Product) == 0


@pytest.mark.parametrize("price", ["²", "1²", str(2**70), "१२", "12.5", "۱۲e3"])
def test_an_odd_number_in_a_price_is_a_row_error_not_a_crash(app, now, price):
    run_vendors(VENDORS, now)
    bad = (
        "vendor_ref,product_ref,name,description,category,price_toman,unit,availability\n"
        f"V1,P1,ok,,pickles,{price},kg,\n"
    )
    report = imports.import_products(bad.encode(), actor=None, now=now)
    assert [(e.row, e.column, e.code) for e in report.errors] == [
        (2, "price_toman", "import.bad_price")
    ]
    assert count(Product) == 0


def test_control_characters_in_a_csv_never_reach_the_database(app, now):
    dirty = VENDORS.replace("ترشی مریم", "ترشی\x00 مریم\x1b[31m").replace("مریم کریمی", "مریم\x07")
    report = run_vendors(dirty, now)
    assert report.ok, [e.message for e in report.errors]
    vendor = db.session.scalar(db.select(Vendor).where(Vendor.ref == "V1"))
    assert (vendor.business_name, vendor.owner_name) == ("ترشی مریم[31m", "مریم")
    assert "\x00" not in db.session.scalar(db.select(Message.body).order_by(Message.id))
