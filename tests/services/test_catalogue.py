"""Products, browsing, favourites, follows and inquiries."""

import pytest

from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import Category, Favourite, Message, Product, Region, Role
from bazaar.services import catalogue
from bazaar.services.catalogue import Filters
from tests.conftest import reference_ids


def product_data(**changes):
    data = {
        "name": "مربای آلبالو",
        "description": "",
        "category_id": reference_ids(Category)["jam-honey"],
        "price_toman": 120_000,
        "unit": "شیشه",
        "availability": "in_stock",
    }
    return catalogue.ProductData(**{**data, **changes})


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"name": " "}, "product.name_required"),
        ({"category_id": 9999}, "product.bad_category"),
        ({"price_toman": -1}, "product.bad_price"),
        ({"price_toman": None}, "product.bad_price"),
        ({"price_toman": "12"}, "product.bad_price"),
        ({"unit": ""}, "product.unit_required"),
        ({"availability": "sold"}, "product.bad_availability"),
    ],
)
def test_save_product_refuses_bad_values(app, make_vendor, now, changes, code):
    vendor = make_vendor()
    with pytest.raises(Invalid) as caught:
        catalogue.save_product(vendor.user, None, product_data(**changes), now=now)
    assert caught.value.code == code
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 0


def test_save_product_needs_a_vendor_profile(app, make_user, now):
    with pytest.raises(Conflict):
        catalogue.save_product(make_user(role=Role.VENDOR), None, product_data(), now=now)


def test_every_action_on_another_vendors_product_is_not_found(app, make_product, make_vendor, now):
    product = make_product()
    intruder = make_vendor().user
    with pytest.raises(NotFound):
        catalogue.get_own_product(intruder, product.id)
    with pytest.raises(NotFound):
        catalogue.save_product(intruder, product.id, product_data(), now=now)
    with pytest.raises(NotFound):
        catalogue.delete_product(intruder, product.id, now=now)
    assert db.session.get(Product, product.id).name == "ترشی لیته"


def test_delete_product_removes_favourites(app, make_product, make_user, now):
    product = make_product()
    citizen = make_user()
    catalogue.toggle_favourite(citizen, product.id, now=now)
    catalogue.delete_product(product.vendor.user, product.id, now=now)
    assert db.session.get(Product, product.id) is None
    assert db.session.scalar(db.select(db.func.count()).select_from(Favourite)) == 0


def test_browse_filters_and_sorts(app, make_vendor, make_product):
    qom = make_vendor(county="qom", field="pickles-jam")
    kahak = make_vendor(county="kahak", field="sewing", health_id=None, health_id_expires_on=None)
    make_product(qom, name="الف", price_toman=50_000, category="pickles")
    make_product(qom, name="ب", price_toman=150_000, category="jam-honey", availability="to_order")
    make_product(kahak, name="پ", price_toman=90_000, category="garments")

    def names(**filters):
        return [p.name for p in catalogue.browse_products(Filters(**filters), 1, 20)[0].items]

    assert names(sort="price_asc") == ["الف", "پ", "ب"]
    assert names(sort="price_desc") == ["ب", "پ", "الف"]
    assert names(sort="newest") == ["پ", "ب", "الف"]
    assert names(county_id=reference_ids(Region)["kahak"]) == ["پ"]
    assert names(category_id=reference_ids(Category)["food"], sort="price_asc") == ["الف", "ب"]
    assert names(field_id=kahak.field_id) == ["پ"]
    assert names(vendor_id=qom.id, sort="price_asc") == ["الف", "ب"]
    assert names(price_min=60_000, price_max=100_000) == ["پ"]
    assert names(availability="to_order") == ["ب"]


def test_browse_paginates(app, make_vendor, make_product):
    vendor = make_vendor()
    for n in range(5):
        make_product(vendor, name=f"p{n}")
    page, _ = catalogue.browse_products(Filters(sort="newest"), 2, 2)
    assert (page.total, page.pages, [p.name for p in page.items]) == (5, 3, ["p2", "p1"])


def test_products_of_unverified_vendors_are_not_public(app, make_vendor, make_product):
    hidden = make_product(make_vendor(status="pending"))
    with pytest.raises(NotFound):
        catalogue.get_public_product(hidden.id)


def test_favourites_and_follows_toggle(app, make_product, make_user, now):
    product, citizen = make_product(), make_user()
    assert catalogue.toggle_favourite(citizen, product.id, now=now) is True
    assert [p.id for p in catalogue.list_favourites(citizen)] == [product.id]
    assert catalogue.toggle_favourite(citizen, product.id, now=now) is False
    assert catalogue.list_favourites(citizen) == []
    assert catalogue.toggle_follow(citizen, product.vendor_id, now=now) is True
    assert [v.id for v in catalogue.list_followed(citizen)] == [product.vendor_id]
    with pytest.raises(NotFound):
        catalogue.toggle_favourite(citizen, 9999, now=now)


def test_inquiry_reaches_the_vendor_by_outbox_and_notifications(app, make_vendor, now):
    vendor = make_vendor()
    catalogue.send_inquiry(
        vendor.id, sender="علی", contact="09120001111", text="موجود است؟", subject="مربا", now=now
    )
    message = db.session.scalar(
        db.select(Message).where(Message.user_id == vendor.user_id).order_by(Message.id.desc())
    )
    assert "موجود است؟" in message.body
    assert "09120001111" in message.body
    assert message.in_site


def test_inquiry_to_an_unclaimed_vendor_goes_by_sms(app, make_vendor, now):
    vendor = make_vendor()
    vendor.user_id = None
    db.session.commit()
    catalogue.send_inquiry(vendor.id, sender="علی", contact="x", text="سلام", subject="s", now=now)
    message = db.session.scalar(db.select(Message).order_by(Message.id.desc()))
    assert (message.channel, message.recipient, message.user_id) == ("sms", vendor.mobile, None)


def test_empty_inquiry_is_refused(app, make_vendor, now):
    with pytest.raises(Invalid):
        catalogue.send_inquiry(
            make_vendor().id, sender="علی", contact="", text="سلام", subject="s", now=now
        )


def test_counts_stop_at_the_cap_and_deeper_pages_are_not_served(
    app, make_vendor, make_product, monkeypatch
):
    from bazaar.services import paging

    vendor = make_vendor()
    for n in range(5):
        make_product(vendor, name=f"p{n}")
    monkeypatch.setattr(paging, "MAX_RESULTS", 3)
    first, _ = catalogue.browse_products(Filters(sort="newest"), 1, 2)
    assert (first.more, first.pages, [p.name for p in first.items]) == (True, 2, ["p4", "p3"])
    deep, _ = catalogue.browse_products(Filters(sort="newest"), 3, 2)
    assert (deep.too_deep, deep.items) == (True, [])
    monkeypatch.setattr(paging, "MAX_RESULTS", 10)
    exact, _ = catalogue.browse_products(Filters(sort="newest"), 1, 2)
    assert (exact.more, exact.total, exact.pages) == (False, 5, 3)


def test_the_listed_flag_follows_the_vendors_status(app, make_product, organiser, now):
    from bazaar.services import vendors

    product = make_product()
    vendors.decide_vendor(organiser, product.vendor_id, "suspend", reason="بررسی", now=now)
    assert db.session.get(Product, product.id).listed is False
    assert catalogue.browse_products(Filters(), 1, 20)[0].items == []
    vendors.decide_vendor(organiser, product.vendor_id, "verify", now=now)
    assert db.session.get(Product, product.id).listed is True
    assert [p.id for p in catalogue.browse_products(Filters(), 1, 20)[0].items] == [product.id]
