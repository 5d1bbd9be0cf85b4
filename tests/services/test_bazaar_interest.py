"""Interest lists: a sign-up by email or mobile counts, and is told, only once confirmed."""

from datetime import timedelta

from bazaar.extensions import db
from bazaar.models import Interest, Message
from bazaar.services import restrictions
from bazaar.services.bazaars import gate, interest, listing
from tests.conftest import NOW


def messages_to(address):
    return db.session.scalars(
        db.select(Message).where(Message.recipient == address).order_by(Message.id)
    ).all()


def release_notices(address):
    return [m for m in messages_to(address) if "/bazaars/unsubscribe/" in m.body]


def test_an_email_sign_up_is_not_counted_nor_told_until_confirmed(
    app, make_bazaar, make_restriction, organiser
):
    restriction = make_restriction()
    bazaar = make_bazaar()
    entry, created = interest.subscribe(bazaar.id, now=NOW, email="ali@example.com", locale="en")
    assert created
    assert entry.confirmed_at is None
    (confirmation,) = messages_to("ali@example.com")
    assert confirmation.channel == "email"
    assert confirmation.body.count(f"/bazaars/interest/confirm/{entry.confirm_token}") == 1
    assert confirmation.list_unsubscribe is None  # not a list message
    assert interest.count_interest(bazaar.id) == 0
    assert listing.held_dashboard(now=NOW)[0]["bazaars"][0]["interested"] == 0
    restrictions.lift_restriction(organiser, restriction.id, now=NOW + timedelta(hours=1))
    assert messages_to("ali@example.com") == [confirmation]
    # Confirming after the release tells nothing late: the release happened once, without it.
    assert interest.confirm_interest(entry.confirm_token, now=NOW + timedelta(hours=2))
    assert release_notices("ali@example.com") == []


def test_a_confirmed_sign_up_is_counted_and_told_exactly_once(
    app, make_bazaar, make_restriction, organiser
):
    restriction = make_restriction()
    bazaar = make_bazaar()
    entry, _created = interest.subscribe(bazaar.id, now=NOW, mobile="09121234567")
    (sms,) = messages_to("09121234567")
    assert f"/bazaars/interest/confirm/{entry.confirm_token}" in sms.body
    token = entry.confirm_token
    assert interest.confirm_interest(token, now=NOW + timedelta(hours=1)).id == bazaar.id
    assert db.session.get(Interest, entry.id).confirmed_at is not None
    assert interest.confirm_interest(token, now=NOW + timedelta(hours=1)) is None  # used once
    assert interest.count_interest(bazaar.id) == 1
    restrictions.lift_restriction(organiser, restriction.id, now=NOW + timedelta(hours=2))
    assert gate.sync_holds(now=NOW + timedelta(days=1)) == []  # a late second run
    assert len(release_notices("09121234567")) == 1


def test_an_expired_confirmation_does_nothing_and_signing_up_again_resends_it(app, make_bazaar):
    bazaar = make_bazaar()
    entry, _created = interest.subscribe(bazaar.id, now=NOW, email="ali@example.com")
    old = entry.confirm_token
    late = NOW + interest.CONFIRM_WITHIN + timedelta(minutes=1)
    assert interest.find_pending_interest(old, late) is None
    assert interest.confirm_interest(old, now=late) is None
    assert db.session.get(Interest, entry.id).confirmed_at is None
    assert interest.count_interest(bazaar.id) == 0
    again, created = interest.subscribe(bazaar.id, now=late, email="ALI@example.com")
    assert (again.id, created) == (entry.id, False)
    assert db.session.scalar(db.select(db.func.count(Interest.id))) == 1
    assert again.confirm_token != old
    assert len(messages_to("ali@example.com")) == 2
    assert interest.confirm_interest(old, now=late) is None
    assert interest.confirm_interest(again.confirm_token, now=late).id == bazaar.id
    assert interest.count_interest(bazaar.id) == 1


def test_a_resend_within_the_week_keeps_the_first_link_working(app, make_bazaar):
    bazaar = make_bazaar()
    entry, _created = interest.subscribe(bazaar.id, now=NOW, email="ali@example.com")
    first = entry.confirm_token
    interest.subscribe(bazaar.id, now=NOW + timedelta(days=6), email="ali@example.com")
    assert len(messages_to("ali@example.com")) == 2
    # The week runs from the last message sent.
    assert interest.confirm_interest(first, now=NOW + timedelta(days=12)).id == bazaar.id


def test_a_confirmed_contact_signing_up_again_is_reminded_not_reconfirmed(app, make_bazaar):
    bazaar = make_bazaar()
    entry, _created = interest.subscribe(bazaar.id, now=NOW, email="ali@example.com")
    interest.confirm_interest(entry.confirm_token, now=NOW)
    again, created = interest.subscribe(bazaar.id, now=NOW, email="ali@example.com", locale="en")
    assert (again.id, created, again.confirm_token) == (entry.id, False, None)
    reminder = messages_to("ali@example.com")[-1]
    assert (again.locale, reminder.locale) == ("fa", "fa")  # the owner's language stays
    assert f"/bazaars/unsubscribe/{entry.token}" in reminder.body
    assert "/interest/confirm/" not in reminder.body
    assert interest.count_interest(bazaar.id) == 1


def test_a_signed_in_user_is_confirmed_at_once_and_sent_nothing(app, make_bazaar, make_user):
    bazaar = make_bazaar()
    user = make_user()
    before = db.session.scalar(db.select(db.func.count(Message.id)))
    entry, created = interest.subscribe(bazaar.id, now=NOW, user=user)
    assert created
    assert (entry.confirmed_at, entry.confirm_token) == (NOW, None)
    assert db.session.scalar(db.select(db.func.count(Message.id))) == before
    assert interest.count_interest(bazaar.id) == 1
