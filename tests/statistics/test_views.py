"""The statistics page, its exports and snapshots show the same figures."""

import csv
import io
import re

from bazaar.models import Role
from bazaar.services import statistics
from tests.conftest import NOW


def page_totals(html):
    return {
        key: int(value)
        for key, value in re.findall(r'data-metric="([a-z_]+)" data-value="(\d+)"', html)
    }


def test_page_csv_and_json_agree_on_every_figure(
    client, login_as, make_vendor, make_product, make_bazaar, make_restriction
):
    make_product(make_vendor())
    make_vendor(county="kahak", status="pending")
    make_restriction()
    make_bazaar()
    login_as(Role.ORGANISER)
    html = client.get("/statistics/").get_data(as_text=True)
    data = client.get("/statistics/figures.json").get_json()
    table = list(
        csv.reader(
            io.StringIO(
                client.get("/statistics/figures.csv").get_data(as_text=True).lstrip("\ufeff")
            )
        )
    )
    from_csv = {row[0]: int(row[3]) for row in table[1:] if row[2] == ""}
    from_json = {key: figure["total"] for key, figure in data["metrics"].items()}
    assert page_totals(html) == from_json == from_csv
    assert len(from_json) == len(statistics.METRICS)
    assert from_json["bazaars_by_status"] == 1


def csv_keys(response):
    table = csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff")))
    return {row[0] for row in list(table)[1:]}


def test_visitors_see_the_public_subset(client, app, organiser):
    public = set(app.config["PUBLIC_METRICS"])
    assert public < {metric.key for metric in statistics.METRICS}
    html = client.get("/statistics/").get_data(as_text=True)
    assert set(page_totals(html)) == public
    assert set(client.get("/statistics/figures.json").get_json()["metrics"]) == public
    assert csv_keys(client.get("/statistics/figures.csv")) == public
    first = statistics.publish_snapshot(organiser, now=NOW)
    second = statistics.publish_snapshot(organiser, now=NOW)
    assert (
        set(page_totals(client.get(f"/statistics/snapshots/{first.id}").get_data(as_text=True)))
        == public
    )
    assert set(client.get(f"/statistics/snapshots/{first.id}.json").get_json()["metrics"]) == public
    assert csv_keys(client.get(f"/statistics/snapshots/{first.id}.csv")) == public
    compared = client.get(f"/statistics/compare?a={first.id}&b={second.id}").get_data(as_text=True)
    names = {key: figure["name"]["fa"] for key, figure in first.figures["metrics"].items()}
    assert {key for key, name in names.items() if name in compared} == public


def test_publish_view_export_and_compare_snapshots(client, login_as, make_vendor):
    login_as(Role.ORGANISER)
    assert client.post("/statistics/snapshots", data={"note": "پایه"}).status_code == 302
    make_vendor()
    client.post("/statistics/snapshots", data={"note": ""})
    page = client.get("/statistics/snapshots/1").get_data(as_text=True)
    assert "هرگز تغییر نمی‌کنند" in page
    exported = client.get("/statistics/snapshots/1.json").get_json()
    assert exported["snapshot"] == 1
    assert page_totals(page) == {k: v["total"] for k, v in exported["metrics"].items()}
    compared = client.get("/statistics/compare?a=1&b=2").get_data(as_text=True)
    assert "+۱" in compared
    # In a right-to-left line the sign stays before the number, dates read right to left, and
    # a percentage keeps its sign.
    assert "\u200e+۱" in compared
    assert " ← " in compared
    assert re.search(r">[۰-۹]+٪<", compared)
    assert client.get("/statistics/compare?a=1&b=99").status_code == 404
    assert client.get("/statistics/compare?a=1").status_code == 302
    assert client.get("/statistics/snapshots/99").status_code == 404


def test_only_organisers_publish(client, login_as):
    login_as(Role.VENDOR)
    assert client.post("/statistics/snapshots").status_code == 403
    assert statistics.list_snapshots() == []
