"""Messages that ask a vendor to act say what happened, what to do, by when, and link to it."""

from datetime import date, timedelta

from bazaar.extensions import db
from bazaar.models import Application, Bazaar, Message
from bazaar.models.types import utcnow
from bazaar.services import restrictions, stalls, vendors
from tests.conftest import NOW
from tests.services.test_stalls import AFTER_CLOSE, apply, food_and_craft, make_round

BASE = "http://127.0.0.1:5000"  # the default PUBLIC_BASE_URL the test app runs with


def messages_to(vendor, kind_words=""):
    query = db.select(Message).where(Message.user_id == vendor.user_id).order_by(Message.id)
    return [m for m in db.session.scalars(query) if kind_words in m.subject]


def test_round_result_says_allocated_or_waiting_position_why_by_when_and_links(
    app, make_bazaar, make_vendor, organiser
):
    bazaar = make_round(make_bazaar, count=1)
    (stall,) = db.session.get(Bazaar, bazaar.id).stall_types
    first, second = make_vendor(), make_vendor()
    for vendor in (first, second):
        apply(vendor, bazaar, stall)
    ranked = stalls.run_round(organiser, bazaar.id, seed="1405", now=AFTER_CLOSE)
    winner = first if ranked[0].vendor_id == first.id else second
    loser = second if winner is first else first
    (allocated,) = messages_to(winner, "غرفه گرفتید")
    assert "تا ۱۷ آذر ۱۴۰۵، ۱۲:۰۰" in allocated.subject  # round 6 Dec 08:30 UTC, 48 h later
    assert "۱۴۰۵" in allocated.body  # the deadline in Jalali with Persian digits
    assert "قرعه‌کشی" in allocated.body or "رتبهٔ" in allocated.body  # why
    assert f"{BASE}/stalls/mine" in allocated.body
    assert "48" not in allocated.body
    (waiting,) = messages_to(loser, "فهرست انتظار")
    assert "نفر ۱" in waiting.subject
    assert f"{BASE}/stalls/mine" in waiting.body


def test_release_asks_holders_to_reconfirm_with_a_deadline_and_a_link(
    app, make_bazaar, make_vendor, make_restriction, organiser
):
    bazaar = make_bazaar()
    vendor = make_vendor()
    application = apply(vendor, bazaar, food_and_craft(bazaar)[1])
    assert application.state == "allocated"
    restriction = make_restriction()
    restrictions.lift_restriction(organiser, restriction.id, now=NOW + timedelta(hours=1))
    (message,) = messages_to(vendor, "برگزار می‌شود")
    assert "تأیید" in message.subject
    assert "۱۴۰۵" in message.body
    assert f"{BASE}/stalls/mine" in message.body


def test_confirmation_reminder_goes_once_twelve_hours_before_the_deadline(
    app, make_bazaar, make_vendor
):
    bazaar = make_bazaar()  # confirm within 48 hours
    vendor = make_vendor()
    application = apply(vendor, bazaar, food_and_craft(bazaar)[1])
    deadline = db.session.get(Application, application.id).confirm_by
    assert stalls.remind_to_confirm(now=deadline - timedelta(hours=13)) == 0
    assert stalls.remind_to_confirm(now=deadline - timedelta(hours=12)) == 1
    assert stalls.remind_to_confirm(now=deadline - timedelta(hours=11)) == 0
    assert stalls.remind_to_confirm(now=deadline - timedelta(hours=1)) == 0
    (reminder,) = messages_to(vendor, "۱۲ ساعت")
    assert f"{BASE}/stalls/mine" in reminder.body
    assert "۱۴۰۵" in reminder.body


def test_no_reminder_for_a_confirmed_stall_or_a_passed_deadline(app, make_bazaar, make_vendor):
    bazaar = make_bazaar()
    craft = food_and_craft(bazaar)[1]
    confirmed, late = make_vendor(), make_vendor()
    done = apply(confirmed, bazaar, craft)
    stalls.confirm_stall(confirmed.user, done.id, now=NOW)
    missed = apply(late, bazaar, craft)
    deadline = db.session.get(Application, missed.id).confirm_by
    assert stalls.remind_to_confirm(now=deadline + timedelta(minutes=1)) == 0
    assert messages_to(confirmed, "۱۲ ساعت") == []


def test_tick_sends_the_confirmation_reminder(runner, make_bazaar, make_vendor):
    bazaar = make_bazaar(day=utcnow().date() + timedelta(days=10), window=False)
    vendor = make_vendor()
    application = apply(vendor, bazaar, food_and_craft(bazaar)[1])
    application = db.session.get(Application, application.id)
    # The deadline falls within 12 hours of the real clock the command reads.
    application.confirm_by = utcnow() + timedelta(hours=6)
    db.session.commit()
    result = runner.invoke(args=["tick"])
    assert result.exit_code == 0, result.output
    assert "confirmation reminders 1" in result.output
    again = runner.invoke(args=["tick"])
    assert "confirmation reminders 0" in again.output


def test_paper_warning_says_what_by_when_and_links_to_the_profile(app, make_vendor, now):
    vendor = make_vendor(licence_expires_on=date(2026, 12, 10))
    assert vendors.warn_about_papers(now=now) == 1
    (warning,) = messages_to(vendor, "مجوز")
    assert "۱۹ آذر ۱۴۰۵" in warning.subject
    assert f"{BASE}/vendors/me/profile" in warning.body
