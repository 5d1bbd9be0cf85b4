"""Every metric's definition checked against a hand-built dataset; snapshots are frozen."""

from datetime import date, timedelta

import pytest

from bazaar.extensions import db
from bazaar.models import Category
from bazaar.services import committees, stalls, statistics
from bazaar.services.bazaars import interest, planning
from bazaar.services.followups import service as followups
from tests.conftest import NOW, confirmed_interest, reference_ids


@pytest.fixture
def dataset(app, make_vendor, make_product, make_bazaar, make_restriction, make_user, organiser):
    """Three verified vendors (two in Qom, one in Kahak), one pending; known papers and stalls."""
    qom_pickles = make_vendor(field="pickles-jam", licence_expires_on=date(2027, 1, 1))
    qom_sewing = make_vendor(field="sewing", health_id=None, health_id_expires_on=None)
    kahak = make_vendor(
        county="kahak",
        field="pickles-jam",
        licence_expires_on=date(2026, 11, 1),
        health_id_expires_on=date(2026, 11, 1),
    )
    make_vendor(status="pending")
    make_product(qom_pickles, category="pickles")
    make_product(qom_pickles, category="jam-honey")
    make_product(kahak, category="garments")
    make_restriction(county="kahak")
    held = make_bazaar(county="kahak", stalls=[planning.StallTypeData("میز", 2)])
    open_one = make_bazaar(stalls=[planning.StallTypeData("میز", 1)])
    cancelled = make_bazaar(stalls=[planning.StallTypeData("میز", 5)])
    planning.cancel_bazaar(organiser, cancelled.id, "x", now=NOW)
    category = [reference_ids(Category)["pickles"]]
    stall = open_one.stall_types[0]
    first = stalls.apply_for_stall(qom_pickles.user, open_one.id, stall.id, category, "", now=NOW)
    stalls.confirm_stall(qom_pickles.user, first.id, now=NOW)
    stalls.apply_for_stall(qom_sewing.user, open_one.id, stall.id, category, "", now=NOW)  # waits
    stalls.apply_for_stall(
        qom_sewing.user, held.id, held.stall_types[0].id, category, "", now=NOW
    )  # allocated
    confirmed_interest(held.id, now=NOW, email="a@example.com")
    confirmed_interest(held.id, now=NOW, email="b@example.com")
    interest.subscribe(held.id, now=NOW, email="unconfirmed@example.com")  # not counted
    committee = committees.create_committee(
        organiser, name="کمیته", mandate="m", chair_id=organiser.id, member_ids=[], now=NOW
    )
    for due, done in (
        (date(2026, 11, 10), False),
        (date(2026, 12, 10), False),
        (date(2026, 11, 10), True),
    ):
        item = followups.create_followup(
            organiser, committee.id, title="f", responsible_id=organiser.id, due_on=due, now=NOW
        )
        if done:
            followups.set_status(organiser, item.id, "done", now=NOW)
    return statistics.compute_all(NOW)["metrics"]


def rows(figure, language="en"):
    return {(en if language == "en" else fa): value for fa, en, value in figure["rows"] if value}


def test_vendor_metrics(dataset):
    assert rows(dataset["vendors_by_status"]) == {"Verified": 3, "Waiting for verification": 1}
    assert dataset["vendors_by_status"]["total"] == 4
    assert rows(dataset["vendors_by_field"]) == {"Pickles and jam": 2, "Sewing and clothing": 1}
    assert rows(dataset["vendors_by_county"]) == {"Qom": 2, "Kahak": 1}
    assert dataset["valid_licences"]["total"] == 2  # Kahak's expired on 1 Nov 2026
    assert dataset["valid_health_ids"]["total"] == 1  # the sewer has none, Kahak's expired


def test_catalogue_and_bazaar_metrics(dataset):
    assert rows(dataset["products_by_category"]) == {"Food": 2, "Clothing": 1}
    assert rows(dataset["bazaars_by_status"]) == {"Held": 1, "Scheduled": 1, "Cancelled": 1}
    assert dataset["held_by_restriction"]["total"] == 1
    assert dataset["stalls_offered"]["total"] == 3  # the cancelled bazaar's 5 do not count
    assert dataset["interest_list"]["total"] == 2


def test_stall_metrics(dataset):
    assert dataset["applications"]["total"] == 3
    assert dataset["stalls_allocated"]["total"] == 2
    assert dataset["stalls_confirmed"]["total"] == 1
    assert dataset["registered_vendors"]["total"] == 3
    assert (dataset["allocation_rate"]["total"], dataset["allocation_rate"]["unit"]) == (
        67,
        "percent",
    )


def test_follow_up_metrics(dataset):
    assert dataset["followups_open"]["total"] == 2
    assert dataset["followups_overdue"]["total"] == 1
    assert dataset["followups_done"]["total"] == 1


def test_every_metric_has_a_definition_in_both_languages(app):
    figures = statistics.compute_all(NOW)["metrics"]
    assert set(figures) == {m.key for m in statistics.METRICS}
    for figure in figures.values():
        assert figure["name"]["fa"] != figure["name"]["en"]
        assert figure["definition"]["fa"]
        assert figure["definition"]["en"]


def test_a_snapshot_is_frozen_and_comparable(app, dataset, make_vendor, organiser):
    first = statistics.publish_snapshot(organiser, note="first", now=NOW)
    make_vendor(county="kahak")
    second = statistics.publish_snapshot(organiser, now=NOW + timedelta(days=1))
    db.session.expire_all()
    assert statistics.get_snapshot(first.id).figures["metrics"]["vendors_by_county"]["total"] == 3
    assert second.figures["metrics"]["vendors_by_county"]["total"] == 4
    comparison = {
        key: (a["total"], b["total"], rows_)
        for key, a, b, rows_ in statistics.compare(first, second)
    }
    before, after, by_label = comparison["vendors_by_county"]
    assert (before, after) == (3, 4)
    assert by_label[("کهک", "Kahak")] == [1, 2]


def test_csv_rows_carry_the_same_figures(app, dataset):
    figures = statistics.compute_all(NOW)
    table = statistics.csv_rows(figures, "en")
    totals = {row[0]: row[3] for row in table[1:] if row[2] == ""}
    assert totals == {key: figure["total"] for key, figure in figures["metrics"].items()}
