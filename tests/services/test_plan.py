"""Targets and their history, the monthly snapshot's exactly-once, the register's rules."""

import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from bazaar.errors import Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import Field, Region, Snapshot, SnapshotMonth
from bazaar.services import statistics
from bazaar.services.followups import service as followups
from bazaar.services.plan import register, rules, snapshots, targets
from tests.conftest import NOW, reference_ids

AZAR_1 = NOW + timedelta(days=2)  # 1 Azar 1405 in Tehran: a new Jalali month
DUE = date(2027, 3, 20)  # 29 Esfand 1405


def set_target(chair, committee, **changes):
    data = {"metric_key": "vendors_by_county", "value": 10, "due_on": DUE}
    return targets.set_target(chair, committee_id=committee.id, now=NOW, **{**data, **changes})


def test_a_target_starts_from_the_figure_now_and_keeps_every_revision(team, make_vendor):
    chair, colleague, _outsider, committee = team
    make_vendor(county="qom")
    qom = reference_ids(Region)["qom"]
    target = set_target(chair, committee, county_id=qom)
    assert (target.baseline_value, target.baseline_on) == (1, date(2026, 11, 20))
    targets.revise_target(
        colleague,
        target.id,
        value=12,
        due_on=DUE,
        public=True,
        note="",
        past_plan_ids=[],
        now=NOW,
    )
    targets.withdraw_target(chair, target.id, now=NOW)
    history = [(r.value, r.public, r.withdrawn, r.actor_id) for r in target.revisions]
    assert history == [
        (10, False, False, chair.id),
        (12, True, False, colleague.id),
        (12, True, True, chair.id),
    ]
    assert targets.list_targets() == []
    assert targets.list_targets(active=False) == [target]


def test_a_target_is_refused_off_its_metric_its_scope_or_its_committee(team):
    chair, _colleague, outsider, committee = team
    kahak, sewing = reference_ids(Region)["kahak"], reference_ids(Field)["sewing"]
    cases = [
        ({"metric_key": "nonsense"}, chair, "plan.bad_metric"),
        ({"value": -1}, chair, "plan.value_required"),
        ({"due_on": date(2026, 11, 20)}, chair, "plan.due_in_past"),
        ({"county_id": sewing + 999}, chair, "plan.bad_county"),
        ({"field_id": sewing}, chair, "plan.bad_field"),  # a field on the by-county figure
        ({"metric_key": "valid_licences", "county_id": kahak}, chair, "plan.bad_county"),
        ({"past_plan_ids": [999]}, chair, "plan.bad_past_plan"),
        ({}, outsider, "plan.not_member"),
    ]
    for changes, actor, code in cases:
        with pytest.raises(Invalid) as error:
            set_target(actor, committee, **changes)
        assert error.value.code == code
    assert targets.list_targets(active=False) == []


def test_progress_is_read_from_the_monthly_snapshots(team, make_vendor):
    chair, _colleague, _outsider, committee = team
    target = set_target(chair, committee, metric_key="valid_licences", value=4)
    first = snapshots.take_monthly(now=NOW)
    make_vendor()
    make_vendor()
    second = snapshots.take_monthly(now=AZAR_1)
    progress = targets.target_progress(target)
    assert [(p.snapshot_id, p.value) for p in progress.points] == [(first.id, 0), (second.id, 2)]
    assert (progress.current, progress.snapshot_id, progress.state) == (
        2,
        second.id,
        rules.ON_TRACK,
    )


def test_the_monthly_snapshot_is_taken_once_a_month(app):
    first = snapshots.take_monthly(now=NOW)
    assert first is not None
    assert first.published_by_id is None
    assert snapshots.take_monthly(now=NOW + timedelta(hours=30)) is None  # still Aban
    second = snapshots.take_monthly(now=AZAR_1)
    assert second.id != first.id
    assert [m for m, _s in snapshots.monthly_snapshots()] == ["1405-08", "1405-09"]
    assert db.session.scalar(sa.select(sa.func.count(Snapshot.id))) == 2


def test_two_schedulers_racing_take_one_monthly_snapshot(app):
    """Eight threads (schedulers) with their own connections run tick's call at once."""
    results, errors, barrier = [], [], threading.Barrier(8)

    def scheduler():
        with app.app_context():
            try:
                barrier.wait()
                taken = snapshots.take_monthly(now=AZAR_1)
                results.append(taken.id if taken else None)
            except Exception as exc:
                errors.append(repr(exc))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=scheduler) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len([r for r in results if r is not None]) == 1
    assert db.session.scalar(sa.select(sa.func.count(SnapshotMonth.month))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Snapshot.id))) == 1


def test_control_the_month_key_refuses_a_second_snapshot_for_a_month(app):
    """Control: without the claim, a second row for the month is what the key stops."""
    taken = snapshots.take_monthly(now=NOW)
    other = Snapshot(published_at=NOW, note="x", figures={"metrics": {}, "computed_at": ""})
    db.session.add(other)
    db.session.flush()
    db.session.add(SnapshotMonth(month="1405-08", snapshot_id=other.id))
    with pytest.raises(sa.exc.IntegrityError):
        db.session.flush()
    db.session.rollback()
    assert [s.id for _m, s in snapshots.monthly_snapshots()] == [taken.id]


def entry(chair, committee, **changes):
    data = {
        "kind": "obstacle",
        "title": "آشپزخانه‌های خانگی سه ماه برای شناسه بهداشتی منتظر می‌مانند",
        "responsible_id": chair.id,
        "status": "open",
        "due_on": date(2026, 11, 1),
    }
    return register.save_obstacle(
        chair, None, committee_id=committee.id, now=NOW, **{**data, **changes}
    )


def test_a_register_entry_has_one_responsible_organiser_and_its_own_follow_ups(team, make_user):
    chair, colleague, outsider, committee = team
    own = followups.create_followup(
        chair, committee.id, title="پیگیری", responsible_id=colleague.id, due_on=DUE, now=NOW
    )
    saved = entry(chair, committee, followup_ids=[own.id])
    assert saved.responsible == chair
    assert saved.followups == [own]
    citizen = make_user()
    cases = [
        ({"responsible_id": None}, "committee.not_an_organiser"),
        ({"responsible_id": citizen.id}, "committee.not_an_organiser"),
        ({"kind": "wish"}, "plan.bad_kind"),
        ({"status": "forgotten"}, "plan.bad_status"),
        ({"title": "  "}, "plan.title_required"),
        ({"agency_ids": [999]}, "plan.bad_choice"),
    ]
    for changes, code in cases:
        with pytest.raises(Invalid) as error:
            entry(chair, committee, **changes)
        assert error.value.code == code
    with pytest.raises(NotFound):
        entry(outsider, committee)


def test_the_committee_share_lists_open_entries_only(team):
    chair, _colleague, _outsider, committee = team
    open_one = entry(chair, committee)
    entry(chair, committee, title="حل شد", status="resolved")
    share = register.committee_share(committee.id)
    assert share["obstacles"] == [open_one]


def test_figure_rows_tell_what_each_figure_is(app, make_vendor, organiser):
    make_vendor()
    snapshot = statistics.publish_snapshot(organiser, now=NOW)
    rows = list(statistics.figure_rows(snapshot.figures, "fa", snapshot))
    total = next(r for r in rows if r["key"] == "valid_licences")
    assert total == {
        "key": "valid_licences",
        "name": snapshot.figures["metrics"]["valid_licences"]["name"]["fa"],
        "label": "",
        "value": 1,
        "unit": "count",
        "definition": snapshot.figures["metrics"]["valid_licences"]["definition"]["fa"],
        "computed_at": NOW.isoformat(),
        "snapshot_id": snapshot.id,
        "published_by": organiser.name,
    }
    monthly = snapshots.take_monthly(now=AZAR_1)
    by = {r["published_by"] for r in statistics.figure_rows(monthly.figures, "en", monthly)}
    assert by == {"The monthly schedule"}


def test_tick_takes_this_months_snapshot_once(runner):
    first = runner.invoke(args=["tick"])
    second = runner.invoke(args=["tick"])
    assert first.exit_code == 0
    assert "monthly snapshot 1" in first.output
    assert "monthly snapshot -" in second.output
    assert len(snapshots.monthly_snapshots()) == 1
