"""Gathering restrictions: recording, ending and lifting them, and the gate's own lock."""

from datetime import date

import pytest

from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import Bazaar, Counter, Lock, Restriction, Status
from bazaar.services import restrictions
from bazaar.services.bazaars import listing
from tests.conftest import NOW


def status(bazaar, now=NOW):
    return listing.state_of(db.session.get(Bazaar, bazaar.id), now).status


def test_recording_a_restriction_holds_bazaars_it_covers_only(app, make_bazaar, make_restriction):
    qom, kahak = make_bazaar(), make_bazaar(county="kahak")
    make_restriction(county="qom")
    assert (status(qom), status(kahak)) == (Status.HELD, Status.SCHEDULED)
    make_restriction(county=None, reference="province")
    assert status(kahak) == Status.HELD


def test_set_end_date_in_the_past_releases_now(app, make_bazaar, make_restriction, organiser):
    restriction = make_restriction()
    bazaar = make_bazaar()
    released = restrictions.set_restriction_end(
        organiser, restriction.id, date(2026, 11, 19), now=NOW
    )
    assert [b.id for b in released] == [bazaar.id]
    with pytest.raises(Invalid) as caught:
        restrictions.set_restriction_end(organiser, restriction.id, date(2026, 1, 1), now=NOW)
    assert caught.value.code == "restriction.end_before_start"
    assert db.session.get(Restriction, restriction.id).ends_on == date(2026, 11, 19)


def test_a_later_end_date_keeps_the_bazaar_held(app, make_bazaar, make_restriction, organiser):
    restriction = make_restriction()
    bazaar = make_bazaar()
    released = restrictions.set_restriction_end(
        organiser, restriction.id, date(2026, 12, 31), now=NOW
    )
    assert released == []
    assert status(bazaar) == Status.HELD


def test_lifting_twice_is_refused(app, make_restriction, organiser):
    restriction = make_restriction()
    restrictions.lift_restriction(organiser, restriction.id, now=NOW)
    with pytest.raises(Conflict) as caught:
        restrictions.lift_restriction(organiser, restriction.id, now=NOW)
    assert caught.value.code == "restriction.already_lifted"
    with pytest.raises(Conflict):
        restrictions.set_restriction_end(organiser, restriction.id, date(2026, 12, 1), now=NOW)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"body": " "}, "restriction.body_required"),
        ({"reference": ""}, "restriction.reference_required"),
        ({"decided_on": None}, "restriction.date_required"),
        ({"starts_on": None}, "restriction.date_required"),
        ({"ends_on": date(2026, 10, 1)}, "restriction.end_before_start"),
        ({"region_id": 9999}, "vendor.bad_county"),
    ],
)
def test_bad_restriction_input_is_refused_and_saves_nothing(app, organiser, changes, code):
    fields = {
        "body": "ستاد استانی",
        "reference": "۱۲",
        "decided_on": date(2026, 10, 20),
        "region_id": None,
        "starts_on": date(2026, 10, 22),
    }
    data = restrictions.RestrictionData(**{**fields, **changes})
    with pytest.raises(Invalid) as caught:
        restrictions.record_restriction(organiser, data, now=NOW)
    assert caught.value.code == code
    assert db.session.scalar(db.select(db.func.count(Restriction.id))) == 0


def test_restrictions_are_listed_newest_decision_first(app, make_restriction):
    older = make_restriction(reference="older")
    newer = restrictions.record_restriction(
        None,
        restrictions.RestrictionData("ستاد", "newer", date(2026, 11, 1), None, date(2026, 11, 2)),
        now=NOW,
    )
    assert [r.id for r in restrictions.list_restrictions()] == [newer.id, older.id]
    assert restrictions.get_restriction(older.id).reference == "older"
    with pytest.raises(NotFound):
        restrictions.get_restriction(9999)


def test_the_gate_has_its_own_lock_row_not_a_counter(app):
    # The migration gives the gate a row in `locks`; the catalogue counter is no lock.
    assert db.session.get(Lock, "gate") is not None
    assert [c.name for c in db.session.scalars(db.select(Counter))] == ["catalogue"]


def test_the_postgresql_reset_puts_back_every_row_the_migrations_insert(app):
    # tests/conftest.py re-inserts MIGRATION_ROWS between PostgreSQL tests; a row missing there
    # would leave the gate lock locking nothing after the first test.
    import sqlalchemy as sa

    from tests.conftest import MIGRATION_ROWS

    def rows():
        # Names only: the catalogue counter's value grows as the reference data is seeded.
        counters = db.session.execute(sa.text("SELECT name FROM counters")).all()
        locks = db.session.execute(sa.text("SELECT name FROM locks")).all()
        return sorted(counters), sorted(locks)

    migrated = rows()
    db.session.execute(sa.text("DELETE FROM counters"))
    db.session.execute(sa.text("DELETE FROM locks"))
    for name, table_rows in MIGRATION_ROWS.items():
        db.session.execute(db.metadata.tables[name].insert(), table_rows)
    assert rows() == migrated
    db.session.rollback()


@pytest.mark.postgres_only("row locks: on SQLite, BEGIN IMMEDIATE serialises writers instead")
def test_on_postgresql_the_gate_lock_holds_its_row_until_commit(app):
    import sqlalchemy as sa

    from bazaar.database import write_transaction
    from bazaar.services.bazaars import gate

    grab = sa.text("SELECT name FROM locks WHERE name = 'gate' FOR UPDATE NOWAIT")
    with write_transaction(), db.engine.connect() as other:
        gate._lock_gate()
        with pytest.raises(sa.exc.OperationalError):
            other.execute(grab)
    with db.engine.connect() as other:
        assert other.execute(grab).scalar() == "gate"  # free again after the commit


def test_preview_lists_the_bazaars_it_would_hold_and_counts_their_vendors(
    app, make_bazaar, make_vendor
):
    from bazaar.models import Region
    from tests.conftest import reference_ids
    from tests.services.test_stalls import apply, food_and_craft

    qom, kahak = make_bazaar(), make_bazaar(county="kahak")
    later = make_bazaar(day=date(2027, 1, 10))
    make_bazaar(publish=False)  # a draft is held by nothing
    for bazaar, count in ((qom, 2), (kahak, 1), (later, 1)):
        for _n in range(count):
            apply(make_vendor(), bazaar, food_and_craft(bazaar)[1])
    county = reference_ids(Region)["qom"]
    preview = restrictions.preview_restriction(county, date(2026, 12, 1), None, now=NOW)
    assert ([b.id for b in preview.bazaars], preview.vendors) == ([qom.id, later.id], 3)
    province = restrictions.preview_restriction(
        None, date(2026, 12, 1), date(2026, 12, 31), now=NOW
    )
    assert ([b.id for b in province.bazaars], province.vendors) == ([qom.id, kahak.id], 3)
    assert db.session.scalar(db.select(db.func.count(Restriction.id))) == 0
    with pytest.raises(Invalid):
        restrictions.preview_restriction(None, date(2026, 12, 2), date(2026, 12, 1), now=NOW)


def test_lifting_records_the_decision_like_the_restriction(
    app, make_bazaar, make_restriction, organiser
):
    restriction = make_restriction()
    bazaar = make_bazaar()
    released = restrictions.lift_restriction(
        organiser,
        restriction.id,
        now=NOW,
        decided_by=" ستاد استانی ",
        reference="۱۴۰۵/۵۰۰",
        decided_on=date(2026, 11, 19),
    )
    assert [b.id for b in released] == [bazaar.id]
    lifted = db.session.get(Restriction, restriction.id)
    assert (lifted.lift_body, lifted.lift_reference, lifted.lift_decided_on) == (
        "ستاد استانی",
        "۱۴۰۵/۵۰۰",
        date(2026, 11, 19),
    )


@pytest.mark.parametrize(
    "decision",
    [
        {"decided_by": "", "reference": "۱", "decided_on": date(2026, 11, 19)},
        {"decided_by": "ستاد", "reference": " ", "decided_on": date(2026, 11, 19)},
        {"decided_by": "ستاد", "reference": "۱", "decided_on": None},
        {"document_data": b"not a document"},
    ],
)
def test_lifting_with_an_incomplete_decision_lifts_nothing(
    app, make_bazaar, make_restriction, organiser, decision
):
    restriction = make_restriction()
    bazaar = make_bazaar()
    with pytest.raises(Invalid):
        restrictions.lift_restriction(organiser, restriction.id, now=NOW, **decision)
    assert db.session.get(Restriction, restriction.id).lifted_at is None
    assert status(bazaar) == Status.HELD
