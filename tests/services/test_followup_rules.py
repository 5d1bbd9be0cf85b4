"""A follow-up's statuses and what each allows: pure rules, no app and no database."""

from datetime import date
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bazaar.errors import Conflict, Invalid
from bazaar.services.followups import rules
from bazaar.services.followups.rules import Status

CATALOGUE = Path(__file__).resolve().parents[2] / "bazaar/translations/fa/LC_MESSAGES/messages.po"


def test_every_status_has_a_label_and_a_badge():
    assert set(rules.LABELS) == set(rules.BADGES) == set(Status) == set(rules.STATUSES)
    assert rules.BADGES[Status.DONE] == "success"
    assert rules.BADGES[Status.BLOCKED] == "danger"


def test_labels_are_found_by_the_stored_status_string():
    # The column holds plain strings; templates look the label up with them.
    assert rules.LABELS["open"] is rules.LABELS[Status.OPEN]


def test_status_labels_are_states_in_persian_not_actions():
    with open(CATALOGUE, "rb") as handle:
        catalogue = read_po(handle)
    persian = {
        msgid: catalogue.get(msgid, context="follow-up status").string
        for msgid in ("Open", "In progress", "Blocked", "Done")
    }
    assert persian == {
        "Open": "باز",
        "In progress": "در دست انجام",
        "Blocked": "متوقف",
        "Done": "انجام‌شده",
    }
    # The link that opens a notification's object stays a verb, under its own word.
    assert catalogue.get("View").string == "مشاهده"


def test_only_blocked_needs_a_reason():
    assert [s for s in Status if rules.needs_reason(s)] == [Status.BLOCKED]


def test_only_done_is_finished_and_never_overdue():
    today = date(2026, 11, 20)
    past = date(2026, 11, 19)
    assert [s for s in Status if rules.is_finished(s)] == [Status.DONE]
    assert [s for s in Status if rules.is_overdue(s, past, today)] == [
        Status.OPEN,
        Status.IN_PROGRESS,
        Status.BLOCKED,
    ]
    assert not rules.is_overdue(Status.OPEN, today, today)


@pytest.mark.parametrize(
    ("current", "new", "reason", "error", "code"),
    [
        ("open", "finished", None, Invalid, "followup.bad_status"),
        ("open", "blocked", None, Invalid, "followup.reason_required"),
        ("open", "blocked", "", Invalid, "followup.reason_required"),
        ("open", "open", None, Conflict, "followup.same_status"),
        ("blocked", "blocked", "again", Conflict, "followup.same_status"),
    ],
)
def test_refused_status_changes(current, new, reason, error, code):
    with pytest.raises(error) as refused:
        rules.check_status_change(current, new, reason)
    assert (refused.value.code, refused.value.params["field"]) == (
        code,
        "reason" if code == "followup.reason_required" else "status",
    )


@pytest.mark.parametrize(
    ("current", "new", "reason"),
    [
        ("open", "in_progress", None),
        ("in_progress", "blocked", "منتظر شهرداری"),
        ("blocked", "done", None),
        ("done", "open", None),
    ],
)
def test_allowed_status_changes(current, new, reason):
    assert rules.check_status_change(current, new, reason) is None
