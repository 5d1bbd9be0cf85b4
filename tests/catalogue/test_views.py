"""Catalogue pages: browse, search, product and vendor pages, a vendor's own products."""

import gc
import io
import json
import re

import pytest

from bazaar.extensions import db
from bazaar.models import Category, Favourite, Message, Product, ProductPhoto, Role
from tests.conftest import reference_ids
from tests.services.test_images import HOSTILE, flat_png, jpeg, png_bomb


def product_form(**changes):
    data = {
        "name": "مربای آلبالو",
        "description": "بدون نگهدارنده",
        "category_id": str(reference_ids(Category)["jam-honey"]),
        "price_toman": "۱۲۵٬۰۰۰",
        "unit": "شیشه",
        "availability": "in_stock",
    }
    return {**data, **changes}


def test_catalogue_lists_public_products_with_toman_prices(client, make_product, make_vendor):
    make_product(name="سوهان قم", price_toman=250_000, category="sweets")
    make_product(make_vendor(status="pending"), name="پنهان")
    page = client.get("/catalogue/").get_data(as_text=True)
    assert "سوهان قم" in page
    assert "۲۵۰٬۰۰۰ تومان" in page
    assert "پنهان" not in page


def test_catalogue_search_highlights_and_shows_vendors(client, make_vendor, make_product):
    vendor = make_vendor(business_name="کیک‌پزی مریم")
    make_product(vendor, name="کیک یزدی", category="sweets")
    page = client.get("/catalogue/", query_string={"q": "كيك"}).get_data(as_text=True)
    assert "<mark>کیک</mark> یزدی" in page
    assert "<mark>کیک‌پزی</mark> مریم" in page


@pytest.mark.parametrize("query", ['"', "AND OR", "NEAR(", "*", "x" * 5000, "؟!،.", "%", "\x00"])
def test_catalogue_hostile_search_is_a_normal_page(client, make_product, query):
    make_product()
    response = client.get("/catalogue/", query_string={"q": query})
    assert response.status_code == 200


def test_catalogue_empty_states(client, make_product):
    assert "هیچ محصولی" in client.get("/catalogue/").get_data(as_text=True)
    make_product()
    assert "چیزی با «نیست»" in client.get("/catalogue/?q=نیست").get_data(as_text=True)


def test_catalogue_filters_accept_persian_digits_and_ignore_junk(client, make_product):
    make_product(name="ارزان", price_toman=10_000)
    make_product(name="گران", price_toman=900_000)
    page = client.get(
        "/catalogue/", query_string={"price_max": "۱۰۰٬۰۰۰", "sort": "price_asc"}
    ).get_data(as_text=True)
    assert "ارزان" in page
    assert "گران" not in page
    junk = {
        "price_min": "abc",
        "county": "x",
        "sort": "evil",
        "page": "-3",
        "availability": "<b>",
        "category": "9" * 30,
    }
    assert client.get("/catalogue/", query_string=junk).status_code == 200


def test_catalogue_paginates(client, app, make_vendor, make_product):
    app.config["ITEMS_PER_PAGE"] = 2
    vendor = make_vendor()
    for n in range(5):
        make_product(vendor, name=f"محصول {n}")
    page = client.get("/catalogue/?page=3&q=محصول").get_data(as_text=True)
    assert page.count('class="col"') == 1
    assert "page=2" in page


def test_product_page_has_json_ld_tel_link_and_inquiry(client, make_product):
    product = make_product(name="سوهان", price_toman=250_000)
    page = client.get(f"/catalogue/products/{product.id}").get_data(as_text=True)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert data["@type"] == "Product"
    assert data["offers"]["price"] == 2_500_000  # rials
    assert data["offers"]["seller"]["@type"] == "LocalBusiness"
    assert f'href="tel:{product.vendor.mobile}"' in page


def test_vendor_page_has_local_business_json_ld(client, make_product):
    product = make_product()
    page = client.get(f"/catalogue/vendors/{product.vendor_id}").get_data(as_text=True)
    data = json.loads(
        re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1)
    )
    assert data["@type"] == "LocalBusiness"
    assert product.name in page


def test_unverified_vendor_and_product_pages_are_404(client, make_vendor, make_product):
    hidden = make_product(make_vendor(status="pending"))
    assert client.get(f"/catalogue/products/{hidden.id}").status_code == 404
    assert client.get(f"/catalogue/vendors/{hidden.vendor_id}").status_code == 404
    assert client.get("/catalogue/products/999").status_code == 404


def test_inquiry_from_an_anonymous_citizen(client, make_product):
    product = make_product()
    data = {"sender": "علی", "contact": "09120001111", "text": "ارسال به قم دارید؟"}
    response = client.post(f"/catalogue/vendors/{product.vendor_id}/inquiry?about=x", data=data)
    assert response.status_code == 302
    assert (
        db.session.scalar(db.select(Message).where(Message.body.like("%ارسال به قم%"))).user_id
        == product.vendor.user_id
    )


def test_inquiry_is_filled_in_for_a_signed_in_person_and_returns_to_the_product(
    client, make_product, make_user, login_as
):
    product = make_product()
    login_as(name="زهرا احمدی", mobile="09123334444")
    page = client.get(f"/catalogue/products/{product.id}").get_data(as_text=True)
    assert 'value="زهرا احمدی"' in page
    assert 'value="09123334444"' in page
    assert f"product={product.id}" in page
    data = {"sender": "زهرا احمدی", "contact": "09123334444", "text": "موجود است؟"}
    inquiry = f"/catalogue/vendors/{product.vendor_id}/inquiry?about=x&product={product.id}"
    response = client.post(inquiry, data=data)
    assert response.headers["Location"] == f"/catalogue/products/{product.id}"
    refused = client.post(inquiry, data={"sender": "زهرا"})
    assert refused.status_code == 400
    assert product.name in refused.get_data(as_text=True)  # the product page, with the errors
    # Another vendor's product in the link: back to the vendor, as before.
    other = make_product()
    forged = f"/catalogue/vendors/{product.vendor_id}/inquiry?product={other.id}"
    response = client.post(forged, data=data)
    assert response.headers["Location"] == f"/catalogue/vendors/{product.vendor_id}"


def test_inquiry_with_missing_fields_is_refused(client, make_product):
    product = make_product()
    before = db.session.scalar(db.select(db.func.count(Message.id)))
    response = client.post(
        f"/catalogue/vendors/{product.vendor_id}/inquiry", data={"sender": "علی"}
    )
    assert response.status_code == 400
    assert db.session.scalar(db.select(db.func.count(Message.id))) == before


def test_favourite_and_follow_need_sign_in(client, make_product, login_as):
    product = make_product()
    assert client.post(f"/catalogue/products/{product.id}/favourite").status_code == 302
    user = login_as()
    client.post(f"/catalogue/products/{product.id}/favourite")
    client.post(f"/catalogue/vendors/{product.vendor_id}/follow")
    saved = client.get("/catalogue/saved").get_data(as_text=True)
    assert product.name in saved
    assert product.vendor.business_name in saved
    assert db.session.get(Favourite, (user.id, product.id)) is not None
    assert client.post("/catalogue/products/999/favourite").status_code == 404


def test_vendor_adds_product_with_persian_price_and_photo(client, make_vendor, auth):
    vendor = make_vendor()
    auth.login(vendor.user.email)
    response = client.post("/catalogue/products/new", data=product_form())
    assert response.status_code == 302
    product = db.session.scalar(db.select(Product))
    assert product.price_toman == 125_000
    upload = {"photo": (io.BytesIO(jpeg()), "photo.jpg")}
    client.post(
        f"/catalogue/products/{product.id}/photos", data=upload, content_type="multipart/form-data"
    )
    photo = db.session.scalar(db.select(ProductPhoto))
    media = client.get(f"/catalogue/media/products/{photo.thumbnail}")
    assert media.status_code == 200
    assert media.mimetype == "image/jpeg"
    media.close()
    assert client.get("/catalogue/media/products/../../secret_key").status_code == 404
    assert client.get("/catalogue/media/other/x.jpg").status_code == 404


def test_an_uploaded_photo_lands_in_uploads_dir_and_is_served_back(
    app, client, make_product, auth, tmp_path
):
    app.config["UPLOADS_DIR"] = str(tmp_path / "shared-volume")
    product = make_product()
    auth.login(product.vendor.user.email)
    upload = {"photo": (io.BytesIO(jpeg()), "photo.jpg")}
    client.post(
        f"/catalogue/products/{product.id}/photos", data=upload, content_type="multipart/form-data"
    )
    photo = db.session.scalar(db.select(ProductPhoto))
    stored = tmp_path / "shared-volume" / "products"
    assert sorted(p.name for p in stored.iterdir()) == sorted([photo.filename, photo.thumbnail])
    assert not (tmp_path / "instance" / "uploads" / "products").exists()
    media = client.get(f"/catalogue/media/products/{photo.filename}")
    assert media.status_code == 200
    assert media.get_data() == (stored / photo.filename).read_bytes()
    media.close()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"price_toman": "-5"}, "invalid-feedback"),
        ({"price_toman": "دوازده"}, "عدد صحیح"),
        ({"name": ""}, "invalid-feedback"),
        ({"category_id": "99999"}, "invalid-feedback"),
        ({"availability": "sold"}, "invalid-feedback"),
    ],
)
def test_product_form_bad_input_saves_nothing(client, make_vendor, auth, changes, message):
    auth.login(make_vendor().user.email)
    response = client.post("/catalogue/products/new", data=product_form(**changes))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Product.id))) == 0


@pytest.mark.parametrize("name", ["text", "html-named-jpg", "truncated-jpeg"])
def test_hostile_photo_upload_is_refused_with_a_message(client, make_product, auth, name):
    product = make_product()
    auth.login(product.vendor.user.email)
    upload = {"photo": (io.BytesIO(HOSTILE[name]), "photo.jpg")}
    response = client.post(
        f"/catalogue/products/{product.id}/photos",
        data=upload,
        content_type="multipart/form-data",
        follow_redirects=True,
    )
    assert "تصویری خواندنی نیست" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ProductPhoto.id))) == 0


# Werkzeug's test client spools a request body this large to a temporary file that it never
# closes; the warning is about the test client, not the app.
@pytest.mark.filterwarnings("ignore::ResourceWarning")
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_photo_over_5_mb_gets_the_413_page(client, make_product, auth):
    product = make_product()
    auth.login(product.vendor.user.email)
    upload = {"photo": (io.BytesIO(b"\xff" * (5 * 1024 * 1024 + 100)), "big.jpg")}
    response = client.post(
        f"/catalogue/products/{product.id}/photos", data=upload, content_type="multipart/form-data"
    )
    assert response.status_code == 413
    assert "۵ مگابایت" in response.get_data(as_text=True)
    del response
    gc.collect()  # let the test client's spooled body go while its warning is ignored


OWN_ACTIONS = [
    ("get", "/catalogue/products/{id}/edit"),
    ("post", "/catalogue/products/{id}/edit"),
    ("get", "/catalogue/products/{id}/delete"),
    ("post", "/catalogue/products/{id}/delete"),
    ("post", "/catalogue/products/{id}/photos"),
    ("post", "/catalogue/products/{id}/photos/{photo}/delete"),
    ("post", "/catalogue/products/{id}/photos/{photo}/earlier"),
    ("post", "/catalogue/products/{id}/photos/{photo}/later"),
]


@pytest.mark.parametrize(("method", "url"), OWN_ACTIONS)
def test_every_action_on_another_vendors_product_is_404(
    client, make_product, make_vendor, auth, method, url, now
):
    from bazaar.services import catalogue

    product = make_product()
    photo = catalogue.add_photo(product.vendor.user, product.id, jpeg(), now=now)
    auth.login(make_vendor().user.email)
    response = getattr(client, method)(
        url.format(id=product.id, photo=photo.id), data=product_form()
    )
    assert response.status_code == 404
    assert db.session.get(Product, product.id).name == "ترشی لیته"
    assert db.session.get(ProductPhoto, photo.id) is not None


def test_vendor_deletes_a_product_after_confirming(client, make_product, auth):
    product = make_product()
    auth.login(product.vendor.user.email)
    assert "برگشت‌پذیر نیست" in client.get(f"/catalogue/products/{product.id}/delete").get_data(
        as_text=True
    )
    product_id = product.id
    assert client.post(f"/catalogue/products/{product_id}/delete").status_code == 302
    assert db.session.get(Product, product_id) is None


def test_citizens_cannot_manage_products(client, login_as):
    login_as(Role.CITIZEN)
    assert client.get("/catalogue/products/new").status_code == 403


def test_visitors_get_a_cached_listing_that_a_change_refreshes(client, make_product, now):
    from bazaar.services import catalogue

    product = make_product(name="نان محلی")
    assert "نان محلی" in client.get("/catalogue/").get_data(as_text=True)
    catalogue.save_product(
        product.vendor.user,
        product.id,
        catalogue.ProductData(
            name="نان تافتون", category_id=product.category_id, price_toman=1, unit="عدد"
        ),
        now=now,
    )
    page = client.get("/catalogue/").get_data(as_text=True)
    assert "نان تافتون" in page
    assert "نان محلی" not in page


def test_signed_in_users_see_their_own_menu_not_a_cached_page(client, make_product, login_as):
    make_product()
    client.get("/catalogue/")
    login_as()
    assert "خروج" in client.get("/catalogue/").get_data(as_text=True)


def test_the_cache_really_serves_repeats(client, make_product):
    """Control: a change made behind the app's back (no version bump) is not seen until a bump."""
    from bazaar.services.catalogue_version import bump_catalogue_version

    product = make_product(name="نان محلی")
    client.get("/catalogue/")
    db.session.execute(
        db.text("UPDATE products SET name = 'پنهانی' WHERE id = :id"), {"id": product.id}
    )
    db.session.commit()
    assert "نان محلی" in client.get("/catalogue/").get_data(as_text=True)
    bump_catalogue_version()
    db.session.commit()
    assert "پنهانی" in client.get("/catalogue/").get_data(as_text=True)


def test_a_bomb_upload_is_a_message_not_a_server_error(client, make_product, auth):
    product = make_product()
    auth.login(product.vendor.user.email)
    for data in (png_bomb(), flat_png(5000, 5000)):
        response = client.post(
            f"/catalogue/products/{product.id}/photos",
            data={"photo": (io.BytesIO(data), "photo.png")},
            content_type="multipart/form-data",
            follow_redirects=True,
        )
        assert response.status_code == 200
        assert "مگاپیکسل" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(ProductPhoto.id))) == 0


def test_a_suspended_vendor_leaves_the_cached_catalogue_at_once(
    client, make_product, organiser, now
):
    from bazaar.services import vendors

    product = make_product(name="کشک محلی")
    vendor = product.vendor
    assert "کشک محلی" in client.get("/catalogue/").get_data(as_text=True)  # now cached
    assert client.get(f"/catalogue/products/{product.id}").status_code == 200
    vendors.decide_vendor(organiser, vendor.id, "suspend", reason="شکایت مشتری", now=now)
    assert "کشک محلی" not in client.get("/catalogue/").get_data(as_text=True)
    assert "کشک محلی" not in client.get("/catalogue/?q=کشک").get_data(as_text=True)
    assert client.get(f"/catalogue/products/{product.id}").status_code == 404
    assert client.get(f"/catalogue/vendors/{vendor.id}").status_code == 404
    body = db.session.scalar(
        db.select(Message.body).where(Message.user_id == vendor.user_id).order_by(Message.id.desc())
    )
    assert "شکایت مشتری" in body


def test_a_rejected_vendors_products_are_not_listed(client, make_vendor, make_product):
    product = make_product(make_vendor(status="rejected"), name="کشک رد‌شده")
    assert "کشک رد‌شده" not in client.get("/catalogue/?q=کشک").get_data(as_text=True)
    assert client.get(f"/catalogue/products/{product.id}").status_code == 404


def test_the_filter_form_shows_what_was_chosen_in_each_language(client, make_product):
    from bazaar.extensions import db
    from bazaar.models import Category, Region
    from tests.conftest import reference_ids

    make_product()
    pickles = reference_ids(Category)["pickles"]
    county = db.session.scalar(db.select(Region.id).where(Region.kind == "county").limit(1))
    query = {"category": pickles, "county": county, "availability": "to_order", "sort": "newest"}
    page = client.get("/catalogue/", query_string=query).get_data(as_text=True)
    for name, value in query.items():
        select = page[page.index(f'name="{name}"') :]
        select = select[: select.index("</select>")]
        assert select.count(" selected") == 1, (name, select)
        assert f'<option value="{value}" selected>' in select, (name, select)
    assert '<option value="price_asc">قیمت' in page  # the sort options, in Persian
    client.set_cookie("lang", "en")
    english = client.get("/catalogue/", query_string=query).get_data(as_text=True)
    assert '<option value="to_order" selected>Made to order</option>' in english
    assert '<option value="">All categories</option>' in english
    plain = client.get("/catalogue/").get_data(as_text=True)  # nothing chosen: no "selected"
    categories = plain[plain.index('name="category"') :]
    assert " selected" not in categories[: categories.index("</select>")]


def test_a_cached_page_carries_each_visitors_own_csrf_token(app, make_product):
    """The language switch (and the inquiry form) on a cached page must work for every
    visitor: the token in the cached copy is the visitor's own, not the first visitor's."""
    from tests.servers import csrf_token

    app.config["WTF_CSRF_ENABLED"] = True
    make_product(name="نان محلی")
    first, second = app.test_client(), app.test_client()
    page_one = first.get("/catalogue/?page=1").get_data(as_text=True)
    page_two = second.get("/catalogue/?page=1").get_data(as_text=True)  # from the cache
    assert "\x00" not in page_two
    tokens = csrf_token(page_one), csrf_token(page_two)
    assert tokens[0] != tokens[1]
    for client, token in zip((first, second), tokens, strict=True):
        switched = client.post("/language/en", data={"csrf_token": token, "next": "/catalogue/"})
        assert switched.status_code == 302
    stolen = app.test_client()
    stolen.get("/catalogue/?page=1")
    refused = stolen.post("/language/en", data={"csrf_token": tokens[0], "next": "/catalogue/"})
    assert refused.status_code == 400


def test_the_inquiry_form_is_empty_for_visitors_and_filled_in_for_the_signed_in(
    app, client, make_product, login_as
):
    product = make_product()
    visitor = app.test_client()
    first = visitor.get(f"/catalogue/products/{product.id}").get_data(as_text=True)
    assert 'name="sender"' in first
    assert "نام شما" in first  # the empty form, in Persian
    login_as(name="زهرا احمدی", mobile="09123334444")  # signs `client` in
    mine = client.get(f"/catalogue/products/{product.id}").get_data(as_text=True)
    assert 'value="زهرا احمدی"' in mine  # after a visitor's empty form: still her own
    again = visitor.get(f"/catalogue/vendors/{product.vendor_id}").get_data(as_text=True)
    assert "زهرا احمدی" not in again  # and hers is never shown to a visitor
    assert 'name="sender"' in again
    visitor.set_cookie("lang", "en")
    english = visitor.get(f"/catalogue/products/{product.id}").get_data(as_text=True)
    assert "Your name" in english
