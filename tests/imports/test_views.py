"""The organisers' import page."""

import io

from bazaar.extensions import db
from bazaar.models import Role, Vendor
from tests.services.test_imports import VENDOR_HEADER, VENDORS


def upload(client, kind, text):
    data = {"kind": kind, "file": (io.BytesIO(text.encode("utf-8")), "list.csv")}
    return client.post("/imports/", data=data, content_type="multipart/form-data")


def test_organiser_imports_vendors(client, login_as):
    login_as(Role.ORGANISER)
    assert "vendor_ref" in client.get("/imports/").get_data(as_text=True)
    response = upload(client, "vendors", VENDORS)
    assert response.status_code == 200
    assert "۲ سطر وارد شد" in response.get_data(as_text=True)
    assert db.session.scalar(db.select(db.func.count(Vendor.id))) == 2


def test_bad_file_shows_every_problem_in_the_users_language(client, login_as):
    login_as(Role.ORGANISER)
    client.get("/language/en")
    response = upload(client, "vendors", VENDOR_HEADER + "V1,x,y,123,Nowhere,sewing,,,,,,\n")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Nothing was imported" in page
    assert "“123” is not an Iranian mobile number." in page
    assert "“Nowhere” matches no name" in page
    assert db.session.scalar(db.select(db.func.count(Vendor.id))) == 0


def test_import_without_a_file_is_a_clear_error(client, login_as):
    login_as(Role.ORGANISER)
    response = client.post("/imports/", data={"kind": "vendors"})
    assert response.status_code == 400
    assert "invalid-feedback" in response.get_data(as_text=True)


def test_import_is_for_organisers(client, login_as):
    login_as(Role.VENDOR)
    assert client.get("/imports/").status_code == 403


def test_cli_import_reports_and_fails_on_bad_rows(runner, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(VENDORS, encoding="utf-8-sig")
    bad.write_text(VENDOR_HEADER + "V1,x,y,123,قم,sewing,,,,,,\n", encoding="utf-8")
    result = runner.invoke(args=["import", "vendors", str(bad)])
    assert result.exit_code == 1
    assert "row 2, mobile" in result.output
    result = runner.invoke(args=["import", "vendors", str(good)])
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output
    products = tmp_path / "products.csv"
    products.write_text(
        "vendor_ref,product_ref,name,description,category,price_toman,unit,availability\n"
        "V1,P1,ترشی,,pickles,۵۰٬۰۰۰,شیشه,\n",
        encoding="utf-8",
    )
    assert "1 new" in runner.invoke(args=["import", "products", str(products)]).output
