"""Stall applications, fair allocation, confirmation and the waiting list.

The guarantee: a stall type's `allocated` never exceeds its `count`. Every path that gives a
stall (first come, the allocation round, the waiting list, moving a vendor) goes through
`claim_stall`, a guarded UPDATE checked by its row count inside a write transaction, and the
database's CHECK refuses anything past the count even if code went wrong. A vendor has one
application per bazaar (UNIQUE), so never two stalls there.
"""

import random
import time
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.i18n import ShownDate, local_date
from bazaar.models import (
    Application,
    AppState,
    Bazaar,
    Category,
    Restriction,
    StallType,
    Status,
    Vendor,
    VendorStatus,
)
from bazaar.models.bazaars import AllocationMode
from bazaar.models.stalls import ACTIVE, HOLDING
from bazaar.services.audit import record_audit
from bazaar.services.bazaars.rules import derive_status
from bazaar.services.notifications import notify_user

PRIORITIES = {
    "first_time": _l("first-time vendor"),
    "left_out": _l("left out of the previous bazaar"),
}
REASONS = {
    "first_come": _l("A stall of this type was free when you applied."),
    "waiting": _l(
        "Every stall of this type was taken; you are number %(position)s on the waiting list."
    ),
    "applied": _l(
        "Your application waits for the allocation round after the application window closes."
    ),
    "round_allocated": _l(
        "Allocation round: %(priority)s; lottery position %(position)s of %(of)s."
    ),
    "round_waiting": _l(
        "Allocation round: %(priority)s; lottery position %(position)s of %(of)s. "
        "No stall was left: you are on the waiting list."
    ),
    "round_cap": _l(
        "Allocation round: %(priority)s; lottery position %(position)s of %(of)s. "
        "The limit for one of your categories was reached: you are on the waiting list."
    ),
    "promoted": _l("A stall was freed and passed to you from the waiting list."),
    "reconfirm": _l("The bazaar is going ahead again: please confirm your stall."),
    "removed": _l("The organisers removed the allocation: %(text)s"),
    "moved": _l("The organisers moved you to another stall type."),
    "declined": _l("You declined the stall."),
    "withdrawn": _l("You withdrew the application."),
    "expired": _l("The confirmation deadline passed, so the stall passed to the next vendor."),
    "cancelled": _l("The bazaar was cancelled."),
}


def explain(reason):
    """Say in the reader's language why an application is where it is."""
    if not reason or reason.get("key") not in REASONS:
        return ""
    params = dict(reason)
    names = [str(PRIORITIES[p]) for p in params.get("priority", []) if p in PRIORITIES]
    params["priority"] = (
        str(_l("priority: %(names)s") % {"names": ", ".join(names)})
        if names
        else str(_l("no priority"))
    )
    return str(REASONS[reason["key"]]) % params


# --- the guarded claim -------------------------------------------------------------------


def _naive_is_free(stall_type_id):
    """The unguarded check of the concurrency test's control: read now, write later."""
    stall = db.session.get(StallType, stall_type_id)
    held = db.session.scalar(
        db.select(func.count(Application.id)).where(
            Application.stall_type_id == stall_type_id, Application.state.in_(HOLDING)
        )
    )
    db.session.rollback()  # the check's transaction ends before the write's begins
    time.sleep(0.02)  # the time a busy server takes between the two: the race made visible
    return stall is not None and held < stall.count


def lock_stall_type(stall_type_id):
    """Lock a stall type's row for this transaction, so its queue positions and count change
    one at a time. On SQLite the write transaction (BEGIN IMMEDIATE) already holds the lock."""
    if db.engine.dialect.name == "sqlite":
        return
    db.session.execute(
        db.select(StallType.id).where(StallType.id == stall_type_id).with_for_update()
    )


def claim_stall(stall_type_id):
    """Take one stall of a type if one is free; False when all are taken."""
    return claim_stalls(stall_type_id, 1)


def claim_stalls(stall_type_id, count):
    """Take `count` stalls of a type if that many are free; False (taking none) otherwise."""
    result = db.session.execute(
        update(StallType)
        .where(StallType.id == stall_type_id, StallType.allocated + count <= StallType.count)
        .values(allocated=StallType.allocated + count)
    )
    return result.rowcount == 1


def free_stall(stall_type_id):
    """Give back one stall of a type."""
    db.session.execute(
        update(StallType)
        .where(StallType.id == stall_type_id, StallType.allocated > 0)
        .values(allocated=StallType.allocated - 1)
    )


def allocated_count(stall_type_id):
    return (
        db.session.scalar(db.select(StallType.allocated).where(StallType.id == stall_type_id)) or 0
    )


# --- applying ----------------------------------------------------------------------------


def _vendor_of(user):
    vendor = db.session.scalar(db.select(Vendor).where(Vendor.user_id == user.id))
    if vendor is None or vendor.status != VendorStatus.VERIFIED:
        raise Conflict("stall.vendor_not_verified")
    return vendor


def check_papers(vendor, stall_type, bazaar):
    """Refuse a vendor whose licence has expired, or a food stall without a valid health ID."""
    day = local_date(bazaar.starts_at)
    if vendor.licence_expires_on is not None and vendor.licence_expires_on < day:
        raise Invalid("stall.licence_expired", date=ShownDate(vendor.licence_expires_on))
    if stall_type.is_food and (
        vendor.health_id is None
        or vendor.health_id_expires_on is None
        or vendor.health_id_expires_on < day
    ):
        raise Invalid("stall.health_id_needed")


def _open_for_applications(bazaar, now):
    state = derive_status(bazaar, _restrictions(), now)
    if state.status in (Status.CANCELLED, Status.PAST, Status.DRAFT):
        raise Conflict("stall.bazaar_closed")
    if state.applications == "not_yet":
        raise Conflict("stall.window_not_open")
    if state.applications == "closed":
        raise Conflict("stall.window_closed")


def _restrictions():
    return db.session.scalars(db.select(Restriction)).all()


def _next_position(stall_type_id):
    current = db.session.scalar(
        db.select(func.max(Application.position)).where(Application.stall_type_id == stall_type_id)
    )
    return (current or 0) + 1


def _confirm_by(bazaar, now):
    return min(now + timedelta(hours=bazaar.confirm_hours), bazaar.starts_at)


def apply_for_stall(user, bazaar_id, stall_type_id, category_ids, note, *, now):
    """Apply for a stall; first come: a free stall at once, else the waiting list."""
    category_ids = sorted({int(c) for c in category_ids or []})
    if not category_ids:
        raise Invalid("stall.categories_required", field="category_ids")
    # Checks that only read come first, outside the write lock, so the write stays short.
    vendor = _vendor_of(user)
    bazaar = db.session.get(Bazaar, bazaar_id)
    stall_type = db.session.get(StallType, stall_type_id)
    if bazaar is None or bazaar.published_at is None:
        raise NotFound("bazaar.not_found")
    if stall_type is None or stall_type.bazaar_id != bazaar.id:
        raise Invalid("stall.bad_type", field="stall_type_id")
    known = db.select(func.count(Category.id)).where(Category.id.in_(category_ids))
    if db.session.scalar(known) != len(category_ids):
        raise Invalid("product.bad_category", field="category_ids")
    _open_for_applications(bazaar, now)
    check_papers(vendor, stall_type, bazaar)
    vendor_id, user_id = vendor.id, user.id
    round_mode = bazaar.allocation_mode == AllocationMode.ROUND
    confirm_by = _confirm_by(bazaar, now)
    # Test-only (TESTING_STALLS_WITHOUT_GUARD): the control that proves the race test can fail.
    unguarded = current_app.config.get("TESTING_STALLS_WITHOUT_GUARD", False)
    free_before = _naive_is_free(stall_type_id) if unguarded else None
    try:
        with write_transaction():
            lock_stall_type(stall_type_id)
            cancelled = db.select(Bazaar.cancelled_at).where(Bazaar.id == bazaar_id)
            if db.session.scalar(cancelled) is not None:
                raise Conflict("stall.bazaar_closed")
            application = Application(
                bazaar_id=bazaar_id,
                vendor_id=vendor_id,
                stall_type_id=stall_type_id,
                category_ids=category_ids,
                note=(note or "").strip()[:300],
                applied_at=now,
            )
            if round_mode:
                application.state, application.reason = AppState.APPLIED.value, {"key": "applied"}
            elif free_before if unguarded else claim_stall(stall_type_id):
                application.state, application.confirm_by = AppState.ALLOCATED.value, confirm_by
                application.decided_at, application.reason = now, {"key": "first_come"}
            else:
                application.position = _next_position(stall_type_id)
                application.state = AppState.WAITING.value
                application.reason = {"key": "waiting", "position": application.position}
            db.session.add(application)
            record_audit(
                "stall.apply", application, actor_id=user_id, now=now, state=application.state
            )
            # Kept on the instance (not a column) for the page: the commit expires the columns.
            application.outcome = {"state": application.state, "reason": application.reason}
    except IntegrityError as exc:
        # The same vendor twice at once: the UNIQUE constraint answers.
        db.session.rollback()
        raise Conflict("stall.already_applied") from exc
    return application


def _allocate(application, bazaar, now, reason):
    application.state = AppState.ALLOCATED.value
    application.confirm_by = _confirm_by(bazaar, now)
    application.decided_at = now
    application.reason = reason


# --- the vendor's own applications --------------------------------------------------------


def get_application(application_id):
    """Return any application (organisers), or raise NotFound."""
    application = db.session.get(Application, application_id)
    if application is None:
        raise NotFound("stall.not_found")
    return application


def get_own_application(user, application_id):
    application = db.session.get(Application, application_id)
    if application is None or application.vendor.user_id != user.id:
        raise NotFound("stall.not_found")
    return application


def confirm_stall(user, application_id, *, now):
    """Confirm an allocated stall before the deadline."""
    with write_transaction():
        application = get_own_application(user, application_id)
        if application.state != AppState.ALLOCATED:
            raise Conflict("stall.nothing_to_confirm")
        if now > application.confirm_by:
            raise Conflict("stall.deadline_passed")
        application.state, application.decided_at = AppState.CONFIRMED.value, now
        record_audit("stall.confirm", application, actor=user, now=now)
    return application


def decline_stall(user, application_id, *, now):
    """Give up an allocated or confirmed stall; it passes to the next on the waiting list."""
    with write_transaction():
        application = get_own_application(user, application_id)
        if application.state not in HOLDING:
            raise Conflict("stall.nothing_to_decline")
        _let_go(application, AppState.DECLINED, {"key": "declined"}, now, actor=user)
    return application


def withdraw_application(user, application_id, *, now):
    """Withdraw an application not (yet) allocated."""
    with write_transaction():
        application = get_own_application(user, application_id)
        if application.state not in (AppState.APPLIED, AppState.WAITING):
            raise Conflict("stall.cannot_withdraw")
        application.state, application.decided_at = AppState.WITHDRAWN.value, now
        application.reason = {"key": "withdrawn"}
        record_audit("stall.withdraw", application, actor=user, now=now)
    return application


def _let_go(application, state, reason, now, actor=None):
    """End a held stall and pass it on to the next on its waiting list, at once."""
    application.state, application.reason, application.decided_at = state.value, reason, now
    application.confirm_by = None
    free_stall(application.stall_type_id)
    record_audit(f"stall.{state.value}", application, actor=actor, now=now)
    promote_next(application.stall_type_id, now)


def promote_next(stall_type_id, now):
    """Give free stalls of a type to the waiting list, in order; tell each vendor."""
    promoted = []
    lock_stall_type(stall_type_id)
    while True:
        nxt = db.session.scalar(
            db.select(Application)
            .where(
                Application.stall_type_id == stall_type_id,
                Application.state == AppState.WAITING.value,
            )
            .order_by(Application.position, Application.id)
            .limit(1)
        )
        if nxt is None or not claim_stall(stall_type_id):
            return promoted
        _allocate(nxt, nxt.bazaar, now, {"key": "promoted"})
        record_audit("stall.promote", nxt, now=now)
        _tell(nxt, "stall_promoted", now)
        promoted.append(nxt)


def _tell(application, kind, now):
    user = application.vendor.user
    if user is None:
        return
    notify_user(
        user,
        kind,
        now=now,
        link="/stalls/mine",
        title=application.bazaar.title,
        deadline=ShownDate(local_date(application.confirm_by)) if application.confirm_by else "",
    )


def expire_due(*, now):
    """Pass on every stall whose confirmation deadline has passed; return how many."""
    with write_transaction():
        overdue = db.session.scalars(
            db.select(Application).where(
                Application.state == AppState.ALLOCATED.value, Application.confirm_by < now
            )
        ).all()
        for application in overdue:
            _let_go(application, AppState.EXPIRED, {"key": "expired"}, now)
    return len(overdue)


def my_applications(user):
    """The vendor's applications, newest bazaar first."""
    vendor = db.session.scalar(db.select(Vendor).where(Vendor.user_id == user.id))
    if vendor is None:
        return []
    query = (
        db.select(Application)
        .join(Bazaar, Bazaar.id == Application.bazaar_id)
        .where(Application.vendor_id == vendor.id)
        .order_by(Bazaar.starts_at.desc())
    )
    return db.session.scalars(query).all()


# --- organisers ----------------------------------------------------------------------------


def remove_allocation(actor, application_id, reason, *, now):
    """Remove a vendor's stall (with a reason they see); the next in line gets it."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("vendor.reason_required", field="reason")
    with write_transaction():
        application = db.session.get(Application, application_id)
        if application is None:
            raise NotFound("stall.not_found")
        if application.state not in HOLDING:
            raise Conflict("stall.nothing_to_remove")
        _let_go(
            application,
            AppState.REMOVED,
            {"key": "removed", "text": reason[:300]},
            now,
            actor=actor,
        )
    return application


def move_allocation(actor, application_id, stall_type_id, *, now):
    """Move a vendor's stall to another type of the same bazaar, if one is free there."""
    with write_transaction():
        application = db.session.get(Application, application_id)
        target = db.session.get(StallType, stall_type_id)
        if application is None:
            raise NotFound("stall.not_found")
        if (
            target is None
            or target.bazaar_id != application.bazaar_id
            or target.id == application.stall_type_id
        ):
            raise Invalid("stall.bad_type", field="stall_type_id")
        if application.state not in HOLDING:
            raise Conflict("stall.nothing_to_move")
        check_papers(application.vendor, target, application.bazaar)
        if not claim_stall(target.id):
            raise Conflict("stall.type_full")
        old = application.stall_type_id
        application.stall_type_id, application.reason = target.id, {"key": "moved"}
        free_stall(old)
        record_audit("stall.move", application, actor=actor, now=now, old=old, new=target.id)
        promote_next(old, now)
    return application


def vendor_history(vendor_id, bazaar_id):
    """Count the vendor's past outcomes at other bazaars (confirmed, declined, expired, removed)."""
    rows = db.session.execute(
        db.select(Application.state, func.count())
        .where(Application.vendor_id == vendor_id, Application.bazaar_id != bazaar_id)
        .group_by(Application.state)
    ).all()
    return dict(rows)


def applications_for(bazaar_id):
    """Every application of a bazaar, by stall type then queue order."""
    query = (
        db.select(Application)
        .where(Application.bazaar_id == bazaar_id)
        .order_by(
            Application.stall_type_id,
            Application.state,
            Application.position,
            Application.applied_at,
        )
    )
    return db.session.scalars(query).all()


def find_application(vendor, bazaar_id):
    """Return the vendor's application to a bazaar, or None."""
    return db.session.scalar(
        db.select(Application).where(
            Application.vendor_id == vendor.id, Application.bazaar_id == bazaar_id
        )
    )


def count_registered(bazaar_id):
    """How many vendors have an active application (a pre-registration while held)."""
    return count_registered_by_bazaar([bazaar_id]).get(bazaar_id, 0)


def count_registered_by_bazaar(bazaar_ids):
    """Return {bazaar_id: vendors with an active application} for several bazaars at once."""
    query = (
        db.select(Application.bazaar_id, func.count(Application.id))
        .where(Application.bazaar_id.in_(bazaar_ids), Application.state.in_(ACTIVE))
        .group_by(Application.bazaar_id)
    )
    return dict(db.session.execute(query).all())


def registered_vendor_ids(bazaar_id):
    """The vendors registered for a bazaar: their products are its online catalogue."""
    return db.select(Application.vendor_id).where(
        Application.bazaar_id == bazaar_id, Application.state.in_(ACTIVE)
    )


# --- the allocation round ----------------------------------------------------------------


def priority_flags(vendor_ids, bazaar, priorities):
    """Return {vendor_id: [rules met]} for the organiser's priority rules, in their order.

    first_time: the vendor never held a stall at another bazaar. left_out: the vendor's latest
    earlier bazaar ended with them on its waiting list.
    """
    vendor_ids = list(vendor_ids)
    held_before, left_out = set(), set()
    if "first_time" in priorities:
        held_before = set(
            db.session.scalars(
                db.select(Application.vendor_id).where(
                    Application.vendor_id.in_(vendor_ids),
                    Application.bazaar_id != bazaar.id,
                    Application.state.in_([AppState.CONFIRMED.value, AppState.ALLOCATED.value]),
                )
            )
        )
    if "left_out" in priorities:
        latest = {}
        rows = db.session.execute(
            db.select(Application.vendor_id, Application.state, Bazaar.starts_at)
            .join(Bazaar, Bazaar.id == Application.bazaar_id)
            .where(Application.vendor_id.in_(vendor_ids), Bazaar.starts_at < bazaar.starts_at)
            .order_by(Bazaar.starts_at)
        )
        for vendor_id, state, _starts in rows:
            latest[vendor_id] = state
        waiting = (AppState.WAITING.value, AppState.APPLIED.value)
        left_out = {v for v, state in latest.items() if state in waiting}
    flags = {}
    for vendor_id in vendor_ids:
        met = {"first_time": vendor_id not in held_before, "left_out": vendor_id in left_out}
        flags[vendor_id] = [rule for rule in priorities if met[rule]]
    return flags


def lottery_order(application_ids, seed):
    """Shuffle application ids with the published seed: the same seed, the same order."""
    order = sorted(application_ids)
    random.Random(seed).shuffle(order)  # noqa: S311 (a published, reproducible lottery)
    return order


def run_round(actor, bazaar_id, *, seed, priorities=(), now):
    """Allocate a round's applications: priority rules, then the seeded lottery; caps respected."""
    seed = (seed or "").strip()
    if not seed or len(seed) > 64:
        raise Invalid("stall.seed_required", field="seed")
    unknown = set(priorities) - PRIORITIES.keys()
    if unknown:
        raise Invalid("stall.bad_priority", field="priorities")
    with write_transaction():
        bazaar = db.session.get(Bazaar, bazaar_id)
        if bazaar is None:
            raise NotFound("bazaar.not_found")
        if bazaar.allocation_mode != AllocationMode.ROUND:
            raise Conflict("stall.not_a_round")
        if bazaar.round_ran_at is not None:
            raise Conflict("stall.round_done")
        if bazaar.applications_close_at is not None and now < bazaar.applications_close_at:
            raise Conflict("stall.window_still_open")
        applications = db.session.scalars(
            db.select(Application)
            .where(Application.bazaar_id == bazaar.id, Application.state == AppState.APPLIED.value)
            .options(selectinload(Application.vendor).selectinload(Vendor.user))
        ).all()
        by_id = {a.id: a for a in applications}
        lottery = {app_id: n for n, app_id in enumerate(lottery_order(by_id, seed), start=1)}
        vendor_flags = priority_flags({a.vendor_id for a in applications}, bazaar, priorities)
        flags = {a.id: vendor_flags[a.vendor_id] for a in applications}
        ranked = sorted(
            applications, key=lambda a: (*[p not in flags[a.id] for p in priorities], lottery[a.id])
        )
        caps = {cap.category_id: cap.max_stalls for cap in bazaar.category_caps}
        used = dict.fromkeys(caps, 0)
        free = {s.id: s.count - s.allocated for s in bazaar.stall_types}
        taken = dict.fromkeys(free, 0)
        positions = {}
        for application in ranked:
            base = {
                "priority": flags[application.id],
                "position": lottery[application.id],
                "of": len(ranked),
            }
            capped = [c for c in application.category_ids if c in caps and used[c] >= caps[c]]
            if not capped and taken[application.stall_type_id] < free[application.stall_type_id]:
                taken[application.stall_type_id] += 1
                _allocate(application, bazaar, now, {"key": "round_allocated", **base})
                for category in application.category_ids:
                    if category in used:
                        used[category] += 1
            else:
                position = positions.get(application.stall_type_id, 0) + 1
                positions[application.stall_type_id] = position
                application.state, application.position = AppState.WAITING.value, position
                application.reason = {"key": "round_cap" if capped else "round_waiting", **base}
            record_audit("stall.round", application, actor=actor, now=now, state=application.state)
            _tell(application, "stall_round_result", now)
        for stall_type_id, count in taken.items():
            # The same guard as claim_stall, for all of a type's stalls at once.
            if count and not claim_stalls(stall_type_id, count):
                raise Conflict("stall.type_full")
        bazaar.lottery_seed, bazaar.round_ran_at = seed, now
        record_audit(
            "stall.round_run", bazaar, actor=actor, now=now, seed=seed, applications=len(ranked)
        )
    return ranked


# --- the bazaar's gate -----------------------------------------------------------------------


def on_bazaar_released(bazaar, *, now):
    """A held bazaar goes ahead: allocated vendors re-confirm; everyone registered is told."""
    for application in db.session.scalars(
        db.select(Application).where(
            Application.bazaar_id == bazaar.id, Application.state.in_(ACTIVE)
        )
    ):
        if application.state in HOLDING:
            _allocate(application, bazaar, now, {"key": "reconfirm"})
            record_audit("stall.reconfirm", application, now=now)
        _tell(application, "stall_bazaar_released", now)


def on_bazaar_cancelled(bazaar, *, now):
    """A cancelled bazaar ends every application and frees every stall."""
    for application in db.session.scalars(
        db.select(Application).where(
            Application.bazaar_id == bazaar.id, Application.state.in_(ACTIVE)
        )
    ):
        application.state, application.reason, application.decided_at = (
            AppState.CANCELLED.value,
            {"key": "cancelled"},
            now,
        )
        application.confirm_by = None
        record_audit("stall.cancelled", application, now=now)
        _tell(application, "stall_bazaar_cancelled", now)
    db.session.execute(
        update(StallType).where(StallType.bazaar_id == bazaar.id).values(allocated=0)
    )
