"""A stall application's life: apply (first come or for the round), confirm, decline, withdraw,
expire; and what organisers do to one (remove, move).

The guarantee: a stall type's `allocated` never exceeds its `count`. Every path that gives a
stall goes through `claims.claim_stall` inside a write transaction (see claims.py), and a vendor
has one application per bazaar (UNIQUE), so never two stalls there. Which state allows what is
asked of rules.py.
"""

from sqlalchemy import func
from sqlalchemy.exc import IntegrityError

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.i18n import ShownDate, local_date, local_zone
from bazaar.models import (
    Application,
    AppState,
    Bazaar,
    Category,
    Restriction,
    StallType,
    Vendor,
    VendorStatus,
)
from bazaar.models.bazaars import AllocationMode
from bazaar.services.audit import record_audit
from bazaar.services.bazaars import rules as bazaar_rules
from bazaar.services.stalls import claims, rules
from bazaar.services.stalls.waiting_list import confirm_by, let_go, promote_next


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
    restrictions = db.session.scalars(db.select(Restriction)).all()
    state = bazaar_rules.derive_status(bazaar, restrictions, now, local_zone())
    if bazaar_rules.may_apply(state):
        return
    if state.applications == "not_yet":
        raise Conflict("stall.window_not_open")
    if state.applications == "closed":
        raise Conflict("stall.window_closed")
    raise Conflict("stall.bazaar_closed")


def _next_position(stall_type_id):
    current = db.session.scalar(
        db.select(func.max(Application.position)).where(Application.stall_type_id == stall_type_id)
    )
    return (current or 0) + 1


def _check_application(user, bazaar_id, stall_type_id, category_ids, now):
    """Run the checks that only read; return the vendor and the bazaar."""
    if not category_ids:
        raise Invalid("stall.categories_required", field="category_ids")
    vendor = _vendor_of(user)
    bazaar = db.session.get(Bazaar, bazaar_id)
    stall_type = db.session.get(StallType, stall_type_id)
    if bazaar is None or bazaar.published_at is None:
        raise NotFound("bazaar.not_found")
    if stall_type is None or stall_type.bazaar_id != bazaar.id:
        raise Invalid("stall.bad_type", field="stall_type_id")
    if stall_type.closed_at is not None:
        raise Conflict("stall.type_closed", field="stall_type_id")
    known = db.select(func.count(Category.id)).where(Category.id.in_(category_ids))
    if db.session.scalar(known) != len(category_ids):
        raise Invalid("product.bad_category", field="category_ids")
    _open_for_applications(bazaar, now)
    check_papers(vendor, stall_type, bazaar)
    return vendor, bazaar


def apply_for_stall(user, bazaar_id, stall_type_id, category_ids, note, *, now):
    """Apply for a stall; first come: a free stall at once, else the waiting list."""
    category_ids = sorted({int(c) for c in category_ids or []})
    # Checks that only read come first, outside the write lock, so the write stays short.
    vendor, bazaar = _check_application(user, bazaar_id, stall_type_id, category_ids, now)
    vendor_id, user_id = vendor.id, user.id
    round_mode = bazaar.allocation_mode == AllocationMode.ROUND
    deadline = confirm_by(bazaar, now)
    try:
        with write_transaction():
            claims.lock_stall_type(stall_type_id)
            cancelled = db.select(Bazaar.cancelled_at).where(Bazaar.id == bazaar_id)
            if db.session.scalar(cancelled) is not None:
                raise Conflict("stall.bazaar_closed")
            # Again under the lock: the organisers may have closed the type since the check.
            closed = db.select(StallType.closed_at).where(StallType.id == stall_type_id)
            if db.session.scalar(closed) is not None:
                raise Conflict("stall.type_closed")
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
            elif claims.claim_stall(stall_type_id):
                application.state, application.confirm_by = AppState.ALLOCATED.value, deadline
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


def get_application(application_id):
    """Return any application (organisers), or raise NotFound."""
    application = db.session.get(Application, application_id)
    if application is None:
        raise NotFound("stall.not_found")
    return application


def get_own_application(user, application_id):
    """Return the user's own application, or raise NotFound (also for another vendor's)."""
    application = db.session.get(Application, application_id)
    if application is None or application.vendor.user_id != user.id:
        raise NotFound("stall.not_found")
    return application


def confirm_stall(user, application_id, *, now):
    """Confirm an allocated stall before the deadline."""
    with write_transaction():
        application = get_own_application(user, application_id)
        if not rules.in_good_standing(application):
            raise Conflict("stall.vendor_not_in_standing")
        if not rules.awaits_confirmation(application):
            raise Conflict("stall.nothing_to_confirm")
        if not rules.may_confirm(application, now):
            raise Conflict("stall.deadline_passed")
        application.state, application.decided_at = AppState.CONFIRMED.value, now
        record_audit("stall.confirm", application, actor=user, now=now)
    return application


def decline_stall(user, application_id, *, now):
    """Give up an allocated or confirmed stall; it passes to the next on the waiting list."""
    with write_transaction():
        application = get_own_application(user, application_id)
        if not rules.in_good_standing(application):
            raise Conflict("stall.vendor_not_in_standing")
        if not rules.may_decline(application):
            raise Conflict("stall.nothing_to_decline")
        let_go(application, AppState.DECLINED, {"key": "declined"}, now, actor=user)
    return application


def withdraw_application(user, application_id, *, now):
    """Withdraw an application not (yet) allocated."""
    with write_transaction():
        application = get_own_application(user, application_id)
        if not rules.may_withdraw(application):
            raise Conflict("stall.cannot_withdraw")
        application.state, application.decided_at = AppState.WITHDRAWN.value, now
        application.reason = {"key": "withdrawn"}
        record_audit("stall.withdraw", application, actor=user, now=now)
    return application


def expire_due(*, now):
    """Pass on every stall whose confirmation deadline has passed; return how many."""
    with write_transaction():
        overdue = db.session.scalars(
            db.select(Application).where(
                Application.state == AppState.ALLOCATED.value, Application.confirm_by < now
            )
        ).all()
        for application in overdue:
            let_go(application, AppState.EXPIRED, {"key": "expired"}, now)
    return len(overdue)


def remove_allocation(actor, application_id, reason, *, now):
    """Remove a vendor's stall (with a reason they see); the next in line gets it."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("vendor.reason_required", field="reason")
    with write_transaction():
        application = get_application(application_id)
        if not rules.may_remove(application):
            raise Conflict("stall.nothing_to_remove")
        let_go(
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
        application = get_application(application_id)
        target = db.session.get(StallType, stall_type_id)
        if (
            target is None
            or target.bazaar_id != application.bazaar_id
            or target.id == application.stall_type_id
        ):
            raise Invalid("stall.bad_type", field="stall_type_id")
        if not rules.may_move(application):
            raise Conflict("stall.nothing_to_move")
        check_papers(application.vendor, target, application.bazaar)
        if not claims.claim_stall(target.id):
            raise Conflict("stall.type_full")
        old = application.stall_type_id
        application.stall_type_id, application.reason = target.id, {"key": "moved"}
        claims.free_stall(old)
        record_audit("stall.move", application, actor=actor, now=now, old=old, new=target.id)
        promote_next(old, now)
    return application
