from bazaar.extensions import db
from bazaar.models import Category, Product, Role
from tests.api.conftest import assert_problem
from tests.conftest import reference_ids


def test_list_products_searches_and_filters_like_the_catalogue(client, make_product):
    make_product(name="ترشی لیته", price_toman=100_000)
    make_product(name="مربای به", category="garments", price_toman=50_000)
    response = client.get("/api/v1/products?q=مربا")
    assert response.status_code == 200
    assert "مربای به".encode() in response.data  # Persian unescaped in UTF-8
    body = response.get_json()
    assert [p["name"] for p in body["items"]] == ["مربای به"]
    assert body["items"][0]["price_toman"] == 50_000
    cheap = client.get("/api/v1/products?max_price=۶۰۰۰۰").get_json()
    assert [p["name"] for p in cheap["items"]] == ["مربای به"]


def test_products_are_paged_by_cursor(client, make_product, make_vendor):
    vendor = make_vendor()
    for n in range(3):
        make_product(vendor=vendor, name=f"محصول {n}")
    first = client.get("/api/v1/products?per_page=2&sort=newest").get_json()
    assert len(first["items"]) == 2
    assert first["total"] == 3
    assert first["next_cursor"]
    second = client.get(f"/api/v1/products?per_page=2&cursor={first['next_cursor']}").get_json()
    assert len(second["items"]) == 1
    assert second["next_cursor"] is None
    seen = {p["id"] for p in first["items"] + second["items"]}
    assert len(seen) == 3


def test_product_view_has_iso_and_jalali_dates(client, make_product):
    product = make_product()
    body = client.get(f"/api/v1/products/{product.id}").get_json()
    assert body["name"] == "ترشی لیته"
    assert body["vendor"]["id"] == product.vendor_id
    assert body["created_at"].endswith("+03:30")
    assert body["created_at_jalali"].startswith("1405-08-29")


def test_products_of_unverified_vendors_are_404(client, make_product, make_vendor):
    product = make_product(vendor=make_vendor(status="pending"))
    assert_problem(client.get(f"/api/v1/products/{product.id}"), 404, "product.not_found")


def test_bad_query_values_are_422_problems_naming_the_field(client):
    body = assert_problem(client.get("/api/v1/products?min_price=abc&sort=x"), 422, "validation")
    assert {e["field"] for e in body["errors"]} == {"min_price", "sort"}
    for value in ("²", str(2**70), "1.5", "-3"):
        assert_problem(client.get(f"/api/v1/products?category={value}"), 422)
    assert_problem(client.get("/api/v1/products?cursor=%00%ff"), 422)
    assert_problem(client.get("/api/v1/products/99999999999"), 404)


def test_vendors_show_public_fields_only(client, make_vendor):
    vendor = make_vendor(address="کوچهٔ خصوصی ۳")
    listing = client.get("/api/v1/vendors").get_json()
    assert [v["id"] for v in listing["items"]] == [vendor.id]
    body = client.get(f"/api/v1/vendors/{vendor.id}").get_json()
    assert body["business_name"] == vendor.business_name
    assert "address" not in body
    assert "mobile" not in body
    assert "کوچه".encode() not in str(body).encode()
    assert_problem(client.get(f"/api/v1/vendors/{make_vendor(status='pending').id}"), 404)


def test_vendor_search(client, make_vendor):
    vendor = make_vendor(business_name="ترشی‌های مادربزرگ")
    make_vendor(business_name="خیاطی رز")
    body = client.get("/api/v1/vendors?q=مادربزرگ").get_json()
    assert [v["id"] for v in body["items"]] == [vendor.id]


def test_a_vendor_creates_updates_and_deletes_own_product(client, make_vendor, bearer):
    vendor = make_vendor()
    headers = bearer(vendor.user)
    jam = reference_ids(Category)["garments"]
    created = client.post(
        "/api/v1/products",
        headers=headers,
        json={
            "name": "مربای\x00 آلبالو",
            "category_id": jam,
            "price_toman": 80_000,
            "unit": "شیشه",
        },
    )
    assert created.status_code == 201, created.data
    product_id = created.get_json()["id"]
    assert created.get_json()["name"] == "مربای آلبالو"  # controls stripped
    patched = client.patch(
        f"/api/v1/products/{product_id}", headers=headers, json={"price_toman": "۹۰٬۰۰۰"}
    )
    assert_problem(patched, 422, "validation")  # JSON numbers are numbers: no separators
    patched = client.patch(
        f"/api/v1/products/{product_id}", headers=headers, json={"price_toman": 90_000}
    )
    assert patched.status_code == 200
    assert patched.get_json()["price_toman"] == 90_000
    assert db.session.get(Product, product_id).name == "مربای آلبالو"
    assert client.delete(f"/api/v1/products/{product_id}", headers=headers).status_code == 204
    assert db.session.get(Product, product_id) is None


def test_product_input_errors_are_field_problems(client, make_vendor, bearer):
    headers = bearer(make_vendor().user)
    body = assert_problem(
        client.post("/api/v1/products", headers=headers, json={"name": "", "price_toman": -1}), 422
    )
    assert {"name", "price_toman", "category_id", "unit"} <= {e["field"] for e in body["errors"]}
    unknown = client.post(
        "/api/v1/products",
        headers=headers,
        json={"name": "x", "category_id": 999999, "price_toman": 1, "unit": "kg"},
    )
    body = assert_problem(unknown, 422, "product.bad_category")
    assert body["errors"][0]["field"] == "category_id"
    assert_problem(client.post("/api/v1/products", headers=headers, data="not json"), 422)


def test_another_vendors_product_is_404(client, make_product, make_vendor, bearer):
    product = make_product()
    headers = bearer(make_vendor().user)
    assert_problem(client.patch(f"/api/v1/products/{product.id}", headers=headers, json={}), 404)
    assert_problem(client.delete(f"/api/v1/products/{product.id}", headers=headers), 404)
    assert db.session.get(Product, product.id) is not None


def test_a_citizen_token_may_not_write_products(client, make_user, bearer):
    headers = bearer(make_user(role=Role.CITIZEN))
    assert_problem(client.post("/api/v1/products", headers=headers, json={}), 403, "forbidden")
