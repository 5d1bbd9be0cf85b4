"""The plan's pure rules: target progress at its edges, Jalali months, figures, years."""

from datetime import date

import pytest

from bazaar.services.plan import rules
from bazaar.services.plan.rules import BEHIND, MET, ON_TRACK

START, DUE = date(2026, 1, 1), date(2026, 1, 11)  # a ten-day path


def progress(current, today, baseline=0, target=100):
    return rules.progress(
        baseline=baseline, start=START, target=target, due=DUE, current=current, today=today
    )


def test_exactly_on_the_path_is_on_track_and_one_short_is_behind():
    # Day 3 of 10 on the path from 0 to 100 expects 30.
    assert progress(30, date(2026, 1, 4)) == ON_TRACK
    assert progress(29, date(2026, 1, 4)) == BEHIND
    assert progress(31, date(2026, 1, 4)) == ON_TRACK


def test_on_the_first_day_any_figure_at_the_baseline_is_on_track():
    assert progress(0, START) == ON_TRACK
    assert progress(0, date(2025, 12, 1)) == ON_TRACK  # a snapshot before the target was set


def test_reaching_the_target_is_met_before_during_and_after_the_date():
    assert progress(100, date(2026, 1, 2)) == MET
    assert progress(100, DUE) == MET
    assert progress(150, date(2027, 1, 1)) == MET


def test_on_or_after_the_date_short_of_the_target_is_behind():
    assert progress(99, DUE) == BEHIND
    assert progress(99, date(2026, 2, 1)) == BEHIND
    assert progress(99, date(2026, 1, 10)) == ON_TRACK  # the day before: 90 expected


def test_a_falling_target_is_met_at_or_below_and_on_track_at_or_below_the_path():
    # From 50 down to 10 over ten days: day 5 expects 30.
    assert progress(10, date(2026, 1, 3), baseline=50, target=10) == MET
    assert progress(30, date(2026, 1, 6), baseline=50, target=10) == ON_TRACK
    assert progress(31, date(2026, 1, 6), baseline=50, target=10) == BEHIND


def test_a_target_equal_to_its_baseline_is_met_at_once():
    assert progress(5, START, baseline=5, target=5) == MET


def test_expected_follows_the_straight_path_and_stops_at_the_ends():
    path = {"baseline": 0, "start": START, "target": 100, "due": DUE}
    assert rules.expected(**path, day=date(2025, 1, 1)) == 0
    assert rules.expected(**path, day=date(2026, 1, 6)) == 50
    assert rules.expected(**path, day=date(2027, 1, 1)) == 100


@pytest.mark.parametrize(
    ("day", "month"),
    [
        (date(2026, 11, 21), "1405-08"),  # 30 Aban 1405
        (date(2026, 11, 22), "1405-09"),  # 1 Azar 1405
        (date(2027, 3, 20), "1405-12"),  # 29 Esfand 1405
        (date(2027, 3, 21), "1406-01"),  # Nowruz
    ],
)
def test_jalali_month_changes_on_the_first_of_the_month(day, month):
    assert rules.jalali_month(day) == month


def test_figure_value_reads_the_total_or_a_row():
    figure = {"total": 7, "rows": [["قم", "Qom", 5], ["کهک", "Kahak", 2]]}
    assert rules.figure_value(figure) == 7
    assert rules.figure_value(figure, "کهک") == 2
    assert rules.figure_value(figure, "سلفچگان") == 0
    assert rules.figure_value(None) is None


@pytest.mark.parametrize(
    ("text", "years"),
    [("1397", (1397, 1397)), ("۱۳۹۷-۱۳۹۹", (1397, 1399)), ("1397/1398", (1397, 1398))],
)
def test_parse_years_reads_one_year_or_a_range(text, years):
    assert rules.parse_years(text) == years


@pytest.mark.parametrize("text", ["", "97", "1399-1397", "1397-1398-1399", "abcd"])
def test_parse_years_refuses_what_is_not_jalali_years(text):
    with pytest.raises(ValueError, match=r"."):
        rules.parse_years(text)


def test_overdue_means_open_and_past_its_date():
    today = date(2026, 5, 5)
    assert rules.is_overdue("open", date(2026, 5, 4), today)
    assert not rules.is_overdue("open", today, today)
    assert not rules.is_overdue("resolved", date(2026, 5, 4), today)
    assert not rules.is_overdue("in_progress", None, today)
