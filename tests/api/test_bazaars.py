from datetime import timedelta

from bazaar.extensions import db
from bazaar.models import Application, Category, Message, StatusChange
from bazaar.models.types import utcnow
from bazaar.services import statistics
from tests.api.conftest import assert_problem
from tests.conftest import confirmed_interest, reference_ids


def history(bazaar):
    query = db.select(StatusChange.status).where(StatusChange.bazaar_id == bazaar.id)
    return list(db.session.scalars(query.order_by(StatusChange.id)))


def test_list_bazaars_with_status_and_county(client, make_bazaar, make_restriction):
    qom = make_bazaar()
    make_bazaar(publish=False)
    listing = client.get("/api/v1/bazaars").get_json()
    assert [b["id"] for b in listing["items"]] == [qom.id]
    assert listing["items"][0]["status"] == "scheduled"
    make_restriction()
    held = client.get("/api/v1/bazaars?status=held").get_json()
    assert [b["id"] for b in held["items"]] == [qom.id]
    assert client.get("/api/v1/bazaars?status=scheduled").get_json()["items"] == []
    other = reference_ids_county("tehran")
    assert client.get(f"/api/v1/bazaars?county={other}").get_json()["items"] == []
    assert_problem(client.get("/api/v1/bazaars?status=draft"), 422)


def reference_ids_county(code):
    from bazaar.models import Region

    return reference_ids(Region).get(code, 2**31 - 1)


def test_bazaar_view_has_status_hold_previous_date_and_free_stalls(
    client, make_bazaar, make_restriction
):
    bazaar = make_bazaar()
    restriction = make_restriction()
    body = client.get(f"/api/v1/bazaars/{bazaar.id}").get_json()
    assert body["status"] == "held"
    assert body["held_by"]["id"] == restriction.id
    assert body["held_by"]["reference"] == "۱۴۰۵/ق/۱۲"
    assert body["starts_at"] == "2026-12-10T10:00:00+03:30"
    assert body["starts_at_jalali"] == "1405-09-19 10:00"
    assert [(s["name"], s["count"], s["free"]) for s in body["stall_types"]] == [
        ("غرفهٔ غذا", 3, 3),
        ("میز صنایع دستی", 5, 5),
    ]
    assert_problem(client.get(f"/api/v1/bazaars/{make_bazaar(publish=False).id}"), 404)


def apply(client, headers, bazaar, stall_index=1):
    stall = bazaar.stall_types[stall_index]
    return client.post(
        f"/api/v1/bazaars/{bazaar.id}/applications",
        headers=headers,
        json={"stall_type_id": stall.id, "category_ids": [reference_ids(Category)["garments"]]},
    )


def test_a_vendor_applies_confirms_and_declines_through_the_api(
    client, make_bazaar, make_vendor, bearer
):
    bazaar = make_bazaar()
    headers = bearer(make_vendor().user)
    response = apply(client, headers, bazaar)
    assert response.status_code == 201, response.data
    application = response.get_json()
    assert application["state"] == "allocated"
    assert application["confirm_by"].endswith("+03:30")
    assert_problem(apply(client, headers, bazaar), 409, "stall.already_applied")
    mine = client.get("/api/v1/applications", headers=headers).get_json()
    assert [a["id"] for a in mine] == [application["id"]]
    confirmed = client.post(f"/api/v1/applications/{application['id']}/confirm", headers=headers)
    assert confirmed.get_json()["state"] == "confirmed"
    declined = client.post(f"/api/v1/applications/{application['id']}/decline", headers=headers)
    assert declined.get_json()["state"] == "declined"
    free = client.get(f"/api/v1/bazaars/{bazaar.id}").get_json()["stall_types"][1]["free"]
    assert free == 5


def test_a_vendor_withdraws_a_waiting_application(client, make_bazaar, make_vendor, bearer):
    bazaar = make_bazaar(mode="round")
    headers = bearer(make_vendor().user)
    application = apply(client, headers, bazaar).get_json()
    assert application["state"] == "applied"
    withdrawn = client.delete(f"/api/v1/applications/{application['id']}", headers=headers)
    assert withdrawn.status_code == 200
    assert withdrawn.get_json()["state"] == "withdrawn"
    assert_problem(
        client.delete(f"/api/v1/applications/{application['id']}", headers=headers),
        409,
        "stall.cannot_withdraw",
    )


def test_another_vendors_application_is_404(client, make_bazaar, make_vendor, bearer):
    bazaar = make_bazaar()
    application = apply(client, bearer(make_vendor().user), bazaar).get_json()
    other = bearer(make_vendor().user)
    for method, path in (
        ("post", f"/api/v1/applications/{application['id']}/confirm"),
        ("post", f"/api/v1/applications/{application['id']}/decline"),
        ("delete", f"/api/v1/applications/{application['id']}"),
    ):
        assert_problem(getattr(client, method)(path, headers=other), 404, "stall.not_found")
    assert db.session.get(Application, application["id"]).state == "allocated"


def test_apply_refuses_bad_input_with_field_problems(client, make_bazaar, make_vendor, bearer):
    bazaar = make_bazaar()
    headers = bearer(make_vendor().user)
    url = f"/api/v1/bazaars/{bazaar.id}/applications"
    body = assert_problem(client.post(url, headers=headers, json={"category_ids": []}), 422)
    assert {e["field"] for e in body["errors"]} == {"stall_type_id", "category_ids"}
    wrong_type = client.post(url, headers=headers, json={"stall_type_id": 999, "category_ids": [1]})
    assert_problem(wrong_type, 422, "stall.bad_type")
    assert_problem(
        client.post(
            "/api/v1/bazaars/999999/applications",
            headers=headers,
            json={"stall_type_id": 1, "category_ids": [1]},
        ),
        404,
    )


def test_organiser_records_lists_and_lifts_a_restriction_exactly_once(
    client, make_bazaar, organiser, bearer
):
    from bazaar.models import Region

    bazaar = make_bazaar()
    confirmed_interest(bazaar.id, now=utcnow(), email="wait@example.com")
    headers = bearer(organiser)
    created = client.post(
        "/api/v1/restrictions",
        headers=headers,
        json={
            "body": "ستاد استان",
            "reference": "۱۴۰۵/۷۷",
            "decided_on": "2026-11-01",
            "region_id": reference_ids(Region)["qom"],
            "starts_on": "2026-11-02",
        },
    )
    assert created.status_code == 201, created.data
    restriction_id = created.get_json()["id"]
    assert [r["id"] for r in client.get("/api/v1/restrictions", headers=headers).get_json()] == [
        restriction_id
    ]
    assert history(bazaar) == ["scheduled", "held"]
    lift = {"decided_by": "ستاد استان", "reference": "۱۴۰۵/۷۸", "decided_on": "2026-11-29"}
    partial = client.post(
        f"/api/v1/restrictions/{restriction_id}/lift", headers=headers, json={"reference": "۷۸"}
    )
    assert_problem(partial, 422, "restriction.body_required")
    assert history(bazaar) == ["scheduled", "held"]  # a half-given decision lifts nothing
    lifted = client.post(f"/api/v1/restrictions/{restriction_id}/lift", headers=headers, json=lift)
    assert lifted.status_code == 200, lifted.data
    assert lifted.get_json()["released_bazaar_ids"] == [bazaar.id]
    shown = lifted.get_json()["restriction"]
    assert shown["lifted_at"]
    assert (shown["lift_body"], shown["lift_reference"], shown["lift_decided_on"]) == (
        "ستاد استان",
        "۱۴۰۵/۷۸",
        "2026-11-29",
    )
    messages = db.session.scalar(
        db.select(db.func.count(Message.id)).where(Message.recipient == "wait@example.com")
    )
    again = client.post(f"/api/v1/restrictions/{restriction_id}/lift", headers=headers, json={})
    assert_problem(again, 409, "restriction.already_lifted")
    assert history(bazaar) == ["scheduled", "held", "scheduled"]
    assert (
        db.session.scalar(
            db.select(db.func.count(Message.id)).where(Message.recipient == "wait@example.com")
        )
        == messages
    )


def test_restrictions_need_an_organiser_token(client, make_vendor, bearer, make_restriction):
    restriction = make_restriction()
    vendor = bearer(make_vendor().user)
    assert_problem(client.get("/api/v1/restrictions", headers=vendor), 403)
    assert_problem(client.post(f"/api/v1/restrictions/{restriction.id}/lift", json={}), 401)
    assert_problem(
        client.post(f"/api/v1/restrictions/{restriction.id}/lift", headers=vendor, json={}), 403
    )


def test_restriction_input_is_checked(client, organiser, bearer):
    headers = bearer(organiser)
    body = assert_problem(
        client.post("/api/v1/restrictions", headers=headers, json={"decided_on": "1405/09/01"}), 422
    )
    fields = {e["field"] for e in body["errors"]}
    # The region is chosen deliberately: a county's id, or null for the whole province.
    assert {"body", "reference", "decided_on", "starts_on", "region_id"} <= fields
    backwards = {
        "region_id": None,
        "body": "x",
        "reference": "y",
        "decided_on": "2026-11-01",
        "starts_on": "2026-11-05",
        "ends_on": "2026-11-01",
    }
    assert_problem(
        client.post("/api/v1/restrictions", headers=headers, json=backwards),
        422,
        "restriction.end_before_start",
    )
    assert_problem(client.post("/api/v1/restrictions/424242/lift", headers=headers, json={}), 404)


def test_stats_carry_definitions_and_computed_at(client, make_vendor):
    make_vendor()
    body = client.get("/api/v1/stats", headers={"Accept-Language": "en"}).get_json()
    figure = next(f for f in body["figures"] if f["key"] == "vendors_by_county")
    assert figure["value"] == 1
    assert figure["label"]
    assert figure["definition"]
    assert figure["computed_at"]
    assert figure["snapshot_id"] is None
    persian = client.get("/api/v1/stats").get_json()
    assert (
        next(f for f in persian["figures"] if f["key"] == "vendors_by_county")["label"]
        != figure["label"]
    )


def test_snapshots_carry_their_id_and_publisher(client, organiser, make_vendor):
    make_vendor()
    snapshot = statistics.publish_snapshot(organiser, note="آذر", now=utcnow() - timedelta(days=1))
    listing = client.get("/api/v1/stats/snapshots").get_json()
    assert [s["id"] for s in listing["items"]] == [snapshot.id]
    body = client.get(f"/api/v1/stats/snapshots/{snapshot.id}").get_json()
    assert body["snapshot_id"] == snapshot.id
    assert body["published_by"] == "برگزارکننده"
    assert all(f["snapshot_id"] == snapshot.id for f in body["figures"])
    assert all(f["published_by"] == "برگزارکننده" for f in body["figures"])
    assert_problem(client.get("/api/v1/stats/snapshots/999"), 404, "statistics.not_found")
