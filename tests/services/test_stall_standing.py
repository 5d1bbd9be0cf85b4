"""A vendor's suspension or rejection ends their stall applications in the same transaction:
held stalls pass to the waiting lists in order, and verifying again brings nothing back."""

from datetime import timedelta

import pytest

from bazaar.errors import Conflict
from bazaar.extensions import db
from bazaar.models import (
    Application,
    AuditEntry,
    Bazaar,
    Category,
    Message,
    Role,
    StallType,
    Vendor,
    VendorStatus,
)
from bazaar.services import stalls, vendors
from bazaar.services.bazaars import planning
from tests.conftest import NOW, reference_ids

LATER = NOW + timedelta(hours=1)
REASON = "Complaint about hygiene"


def one_stall_bazaar(make_bazaar, title):
    bazaar = make_bazaar(title=title, stalls=[planning.StallTypeData("غرفه", 1, None, True)])
    (stall,) = db.session.get(Bazaar, bazaar.id).stall_types
    return bazaar, stall


def apply(vendor, bazaar, stall):
    pickles = [reference_ids(Category)["pickles"]]
    return stalls.apply_for_stall(vendor.user, bazaar.id, stall.id, pickles, "", now=NOW)


def fresh(application):
    db.session.expire_all()
    return db.session.get(Application, application.id)


def messages_to(user):
    return db.session.scalars(
        db.select(Message).where(Message.user_id == user.id).order_by(Message.id)
    ).all()


@pytest.fixture
def suspended_case(make_bazaar, make_vendor, make_user):
    """A vendor holding an allocated stall, a confirmed one and a waiting place, with others
    waiting behind them; returns the pieces by name."""
    a, stall_a = one_stall_bazaar(make_bazaar, "بازارچهٔ الف")
    b, stall_b = one_stall_bazaar(make_bazaar, "بازارچهٔ ب")
    c, stall_c = one_stall_bazaar(make_bazaar, "بازارچهٔ ج")
    vendor = make_vendor(user=make_user(role=Role.VENDOR, locale="en"))
    holder_c = make_vendor()
    case = {"vendor": vendor, "stalls": (stall_a, stall_b, stall_c)}
    case["allocated"] = apply(vendor, a, stall_a)
    case["confirmed"] = apply(vendor, b, stall_b)
    stalls.confirm_stall(vendor.user, case["confirmed"].id, now=NOW)
    case["holder_c"] = apply(holder_c, c, stall_c)
    case["waiting"] = apply(vendor, c, stall_c)
    case["behind_a"] = [apply(make_vendor(), a, stall_a) for _ in range(2)]
    case["behind_b"] = [apply(make_vendor(), b, stall_b) for _ in range(2)]
    case["behind_c"] = apply(make_vendor(), c, stall_c)
    return case


def test_suspending_withdraws_every_application_and_passes_the_stalls_on_in_order(
    app, organiser, suspended_case
):
    case, vendor = suspended_case, suspended_case["vendor"]
    assert [fresh(case[k]).state for k in ("allocated", "confirmed", "waiting")] == [
        "allocated",
        "confirmed",
        "waiting",
    ]
    before = len(messages_to(vendor.user))
    vendors.decide_vendor(organiser, vendor.id, "suspend", reason=REASON, now=LATER)

    for key in ("allocated", "confirmed", "waiting"):
        ended = fresh(case[key])
        assert (ended.state, ended.decided_at, ended.confirm_by) == ("withdrawn", LATER, None)
        assert ended.reason == {"key": "vendor_suspended", "text": REASON}
        assert REASON in stalls.explain(ended.reason)
        entry = db.session.scalar(
            db.select(AuditEntry).where(
                AuditEntry.object_type == "applications",
                AuditEntry.object_id == str(ended.id),
                AuditEntry.action == "stall.withdrawn",
            )
        )
        assert (entry.actor_id, entry.at, entry.details["reason"]) == (
            organiser.id,
            LATER,
            "vendor_suspended",
        )
    # Each freed stall went to the first in line; the second keeps waiting at its place.
    for first, second in (case["behind_a"], case["behind_b"]):
        promoted, still = fresh(first), fresh(second)
        assert (promoted.state, promoted.reason) == ("allocated", {"key": "promoted"})
        assert promoted.confirm_by == LATER + timedelta(hours=48)
        assert (still.state, still.position) == ("waiting", 2)
        assert db.session.scalar(
            db.select(AuditEntry.id).where(
                AuditEntry.object_id == str(promoted.id), AuditEntry.action == "stall.promote"
            )
        )
        title = promoted.bazaar.title
        assert [m.link for m in messages_to(promoted.vendor.user) if title in m.subject] == [
            "/stalls/mine"
        ]
        assert not [m for m in messages_to(still.vendor.user) if title in m.subject]
    # At the third bazaar nothing was freed: the next in line moves nowhere.
    assert fresh(case["holder_c"]).state == "allocated"
    assert (fresh(case["behind_c"]).state, fresh(case["behind_c"]).position) == ("waiting", 2)
    for stall in case["stalls"]:
        assert db.session.get(StallType, stall.id).allocated == 1
        holding = db.session.scalar(
            db.select(db.func.count(Application.id)).where(
                Application.stall_type_id == stall.id,
                Application.state.in_(["allocated", "confirmed"]),
            )
        )
        assert holding == 1
    # One message to the vendor: the suspension, its reason, and the withdrawn applications.
    new = messages_to(vendor.user)[before:]
    assert [m.subject for m in new] == ["Your vendor profile is suspended"]
    assert REASON in new[0].body
    assert "Your stall applications were withdrawn" in new[0].body
    assert new[0].link == "/stalls/mine"


def test_verifying_again_brings_no_application_back(app, organiser, suspended_case):
    case, vendor = suspended_case, suspended_case["vendor"]
    vendors.decide_vendor(organiser, vendor.id, "suspend", reason=REASON, now=LATER)
    vendors.decide_vendor(organiser, vendor.id, "verify", now=LATER + timedelta(days=1))
    assert db.session.get(Vendor, vendor.id).status == VendorStatus.VERIFIED
    for key in ("allocated", "confirmed", "waiting"):
        assert fresh(case[key]).state == "withdrawn"
    assert fresh(case["behind_a"][0]).state == "allocated"
    assert [db.session.get(StallType, s.id).allocated for s in case["stalls"]] == [1, 1, 1]


def test_a_vendor_suspended_while_holding_a_stall_may_neither_confirm_nor_decline(
    app, make_bazaar, make_vendor
):
    # Data from before suspension withdrew applications: a suspended vendor still holds one.
    bazaar, stall = one_stall_bazaar(make_bazaar, "بازارچه")
    vendor = make_vendor()
    application = apply(vendor, bazaar, stall)
    db.session.get(Vendor, vendor.id).status = VendorStatus.SUSPENDED.value
    db.session.commit()
    for operation in (stalls.confirm_stall, stalls.decline_stall):
        with pytest.raises(Conflict) as caught:
            operation(vendor.user, application.id, now=NOW)
        assert caught.value.code == "stall.vendor_not_in_standing"
        assert fresh(application).state == "allocated"
    assert db.session.get(StallType, stall.id).allocated == 1


def test_rejecting_a_pending_vendor_without_applications_still_works(app, organiser, make_vendor):
    vendor = make_vendor(status="pending")
    before = len(messages_to(vendor.user))
    vendors.decide_vendor(organiser, vendor.id, "reject", reason="Unreadable photo", now=LATER)
    assert db.session.get(Vendor, vendor.id).status == VendorStatus.REJECTED
    new = messages_to(vendor.user)[before:]
    assert len(new) == 1
    assert new[0].link is None
    assert "Unreadable photo" in new[0].body
    assert db.session.scalar(db.select(db.func.count(Application.id))) == 0
    assert not db.session.scalar(db.select(AuditEntry.id).where(AuditEntry.action.like("stall.%")))


def test_rejecting_ends_applications_with_its_own_reason(app, organiser, make_bazaar, make_vendor):
    # A pending vendor cannot apply; an application left from earlier data still ends.
    bazaar, stall = one_stall_bazaar(make_bazaar, "بازارچه")
    vendor, next_one = make_vendor(), make_vendor()
    held, waiting = apply(vendor, bazaar, stall), apply(next_one, bazaar, stall)
    db.session.get(Vendor, vendor.id).status = VendorStatus.PENDING.value
    db.session.commit()
    vendors.decide_vendor(organiser, vendor.id, "reject", reason="Fake licence", now=LATER)
    assert fresh(held).reason == {"key": "vendor_rejected", "text": "Fake licence"}
    assert (fresh(held).state, fresh(waiting).state) == ("withdrawn", "allocated")
