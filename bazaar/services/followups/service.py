"""Follow-ups: create, comment, change status, hand over, remind; who may see which.

One visibility rule (`visible_followups` as a query filter, `can_see_followup` for one row)
decides every list and page: a follow-up is seen by its committee's members, by its
responsible person, and by admins; by nobody else.
"""

from datetime import timedelta

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.i18n import ShownDate, local_date
from bazaar.models import Committee, FollowUp, FollowUpEvent, Reminder, Role
from bazaar.models.committees import committee_members
from bazaar.services.audit import record_audit
from bazaar.services.followups import rules
from bazaar.services.followups.rules import Status
from bazaar.services.notifications import notify_user
from bazaar.services.organisers import is_member, require_organiser

REMIND_DAYS = 3
UNFINISHED = FollowUp.status != Status.DONE.value


def visible_followups(user):
    """Return the filter selecting the follow-ups `user` may see (none for non-organisers)."""
    if not user.is_authenticated or not user.has_role(Role.ORGANISER):
        return db.false()
    if user.has_role(Role.ADMIN):
        return db.true()
    my_committees = db.select(committee_members.c.committee_id).where(
        committee_members.c.user_id == user.id
    )
    return db.or_(FollowUp.committee_id.in_(my_committees), FollowUp.responsible_id == user.id)


def can_see_followup(user, followup):
    """Tell whether `user` may see this follow-up (the row form of `visible_followups`)."""
    if not user.is_authenticated or not user.has_role(Role.ORGANISER):
        return False
    return followup.responsible_id == user.id or is_member(user, followup.committee)


def _committee(committee_id):
    committee = db.session.get(Committee, committee_id)
    if committee is None:
        raise NotFound("committee.not_found")
    return committee


def create_followup(
    actor,
    committee_id,
    *,
    title,
    responsible_id,
    due_on,
    now,
    description="",
    decision=None,
    bazaar_id=None,
    vendor_id=None,
    restriction_id=None,
):
    """Create a follow-up: a title, one responsible organiser, a due date; tell them."""
    if not (title or "").strip():
        raise Invalid("followup.title_required", field="title")
    if not responsible_id:
        raise Invalid("followup.responsible_required", field="responsible_id")
    if due_on is None:
        raise Invalid("followup.due_required", field="due_on")
    with write_transaction():
        committee = _committee(committee_id)
        responsible = require_organiser(responsible_id)
        followup = FollowUp(
            committee=committee,
            decision=decision,
            title=title.strip()[:200],
            description=(description or "").strip(),
            responsible=responsible,
            due_on=due_on,
            bazaar_id=bazaar_id,
            vendor_id=vendor_id,
            restriction_id=restriction_id,
            created_at=now,
        )
        db.session.add(followup)
        db.session.add(
            FollowUpEvent(
                followup=followup,
                at=now,
                actor_id=actor.id,
                kind="create",
                to_user_id=responsible.id,
            )
        )
        record_audit("followup.create", followup, actor=actor, now=now, responsible=responsible.id)
        if responsible.invited_at is not None:
            return followup  # their invitation names it (services/invitations.py)
        notify_user(
            responsible,
            "followup_assigned",
            now=now,
            link=None,
            title=followup.title,
            due=ShownDate(due_on),
        )
    return followup


def get_followup(user, followup_id):
    """Return a follow-up the user may see, or raise NotFound (also when they may not)."""
    followup = db.session.get(FollowUp, followup_id)
    if followup is None or not can_see_followup(user, followup):
        raise NotFound("followup.not_found")
    return followup


def comment(user, followup_id, text, *, now):
    """Add a comment to a follow-up's history."""
    if not (text or "").strip():
        raise Invalid("followup.comment_required", field="text")
    with write_transaction():
        followup = get_followup(user, followup_id)
        db.session.add(
            FollowUpEvent(
                followup=followup, at=now, actor_id=user.id, kind="comment", text=text.strip()
            )
        )
        record_audit("followup.comment", followup, actor=user, now=now)
    return followup


def set_status(user, followup_id, status, *, reason=None, now):
    """Move a follow-up to open, in progress, blocked (with a reason) or done."""
    reason = (reason or "").strip() or None
    with write_transaction():
        followup = get_followup(user, followup_id)
        rules.check_status_change(followup.status, status, reason)
        followup.status = status
        followup.blocked_reason = reason if rules.needs_reason(status) else None
        followup.done_at = now if rules.is_finished(status) else None
        db.session.add(
            FollowUpEvent(
                followup=followup,
                at=now,
                actor_id=user.id,
                kind="status",
                status=status,
                text=reason or "",
            )
        )
        record_audit("followup.status", followup, actor=user, now=now, status=status)
    return followup


def reassign(user, followup_id, responsible_id, reason, *, now):
    """Hand a follow-up to another organiser, saying why; both see it in the history."""
    reason = (reason or "").strip()
    if not reason:
        raise Invalid("followup.reason_required", field="reason")
    with write_transaction():
        followup = get_followup(user, followup_id)
        new = require_organiser(responsible_id)
        if new.id == followup.responsible_id:
            raise Conflict("followup.same_person", field="responsible_id")
        old = followup.responsible_id
        followup.responsible = new
        db.session.add(
            FollowUpEvent(
                followup=followup,
                at=now,
                actor_id=user.id,
                kind="reassign",
                text=reason,
                from_user_id=old,
                to_user_id=new.id,
            )
        )
        record_audit("followup.reassign", followup, actor=user, now=now, old=old, new=new.id)
        notify_user(
            new, "followup_assigned", now=now, title=followup.title, due=ShownDate(followup.due_on)
        )
    return followup


def _visible(user, *conditions):
    query = db.select(FollowUp).where(visible_followups(user), *conditions)
    return db.session.scalars(query.order_by(FollowUp.due_on, FollowUp.id)).all()


def my_followups(user):
    """The user's unfinished follow-ups, soonest due first."""
    return _visible(user, FollowUp.responsible_id == user.id, UNFINISHED)


def overdue_followups(user, today):
    """Unfinished follow-ups past their due date that the user may see, most overdue first."""
    return _visible(user, UNFINISHED, FollowUp.due_on < today)


def committee_followups(committee_id, user):
    """The committee's follow-ups that the user may see, soonest due first."""
    return _visible(user, FollowUp.committee_id == committee_id)


def followups_about(bazaar_id, user):
    """The follow-ups concerning a bazaar that the user may see (none for citizens, vendors)."""
    return _visible(user, FollowUp.bazaar_id == bazaar_id)


def remind(*, now):
    """Remind each responsible person of follow-ups due within 3 days or overdue; once a day."""
    today = local_date(now)
    query = db.select(FollowUp).where(
        UNFINISHED, FollowUp.due_on <= today + timedelta(days=REMIND_DAYS)
    )
    sent = 0
    for followup in db.session.scalars(query).all():
        with write_transaction():
            if db.session.scalar(
                db.select(Reminder.id).filter_by(followup_id=followup.id, day=today)
            ):
                continue
            db.session.add(Reminder(followup_id=followup.id, day=today))
            kind = "followup_overdue" if followup.due_on < today else "followup_due"
            notify_user(
                followup.responsible,
                kind,
                now=now,
                title=followup.title,
                due=ShownDate(followup.due_on),
            )
            sent += 1
    return sent
