"""Agencies, committees and meetings; follow-ups, each with exactly one responsible person."""

from datetime import timedelta

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.i18n import ShownDate, local_date
from bazaar.models import (
    Agency,
    Committee,
    Decision,
    FollowUp,
    FollowUpEvent,
    FollowUpStatus,
    Meeting,
    Reminder,
    Role,
    User,
)
from bazaar.services.audit import record_audit
from bazaar.services.notifications import notify_user

REMIND_DAYS = 3


def organisers():
    """Organisers and admins, by name (the people committees are made of)."""
    query = db.select(User).where(
        User.role.in_([Role.ORGANISER.value, Role.ADMIN.value]), User.disabled_at.is_(None)
    )
    return db.session.scalars(query.order_by(User.name)).all()


def _organiser(user_id):
    user = db.session.get(User, user_id or 0)
    if user is None or not user.has_role(Role.ORGANISER) or not user.is_active:
        raise Invalid("committee.not_an_organiser", field="responsible_id")
    return user


def save_agency(actor, *, name_fa, name_en, now):
    """Add an agency of the plan."""
    if not (name_fa or "").strip() or not (name_en or "").strip():
        raise Invalid("reference.incomplete", field="name_fa")
    with write_transaction():
        if db.session.scalar(db.select(Agency.id).where(Agency.name_fa == name_fa.strip())):
            raise Conflict("committee.agency_exists", field="name_fa")
        agency = Agency(name_fa=name_fa.strip(), name_en=name_en.strip())
        db.session.add(agency)
        record_audit("agency.create", agency, actor=actor, now=now)
    return agency


def set_agency(actor, user_id, agency_id, *, now):
    """Place an organiser in an agency (or none)."""
    with write_transaction():
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound("account.not_found")
        if agency_id is not None and db.session.get(Agency, agency_id) is None:
            raise Invalid("committee.bad_agency", field="agency_id")
        user.agency_id = agency_id
        record_audit("account.agency", user, actor=actor, now=now, agency=agency_id)
    return user


def list_agencies():
    return db.session.scalars(db.select(Agency).order_by(Agency.name_fa)).all()


def _members(name, mandate, chair_id, member_ids):
    """Check a committee's fields; return its chair and members (the chair is always one)."""
    if not (name or "").strip():
        raise Invalid("committee.name_required", field="name")
    if not (mandate or "").strip():
        raise Invalid("committee.mandate_required", field="mandate")
    chair = _organiser(chair_id)
    members = {chair.id: chair}
    for member_id in member_ids or []:
        members[member_id] = _organiser(member_id)
    return chair, list(members.values())


def save_committee(actor, committee_id, *, name, mandate, chair_id, member_ids, now):
    """Create (committee_id None) or change a committee: name, mandate, chair and members."""
    with write_transaction():
        chair, members = _members(name, mandate, chair_id, member_ids)
        committee = (
            Committee(created_at=now) if committee_id is None else get_committee(committee_id)
        )
        clash = db.select(Committee.id).where(
            Committee.name == name.strip(), Committee.id != (committee_id or 0)
        )
        if db.session.scalar(clash):
            raise Conflict("committee.name_taken", field="name")
        old_members = sorted(m.id for m in committee.members)
        committee.name, committee.mandate, committee.chair = name.strip(), mandate.strip(), chair
        committee.members = members
        db.session.add(committee)
        action = "committee.create" if committee_id is None else "committee.update"
        record_audit(
            action,
            committee,
            actor=actor,
            now=now,
            members=sorted(m.id for m in members),
            old=old_members,
        )
    return committee


def create_committee(actor, **fields):
    """Create a committee with its mandate, its chair and its members (organisers)."""
    return save_committee(actor, None, **fields)


def get_committee(committee_id):
    committee = db.session.get(Committee, committee_id)
    if committee is None:
        raise NotFound("committee.not_found")
    return committee


def list_committees():
    return db.session.scalars(db.select(Committee).order_by(Committee.name)).all()


def is_member(user, committee):
    return user.has_role(Role.ADMIN) or any(member.id == user.id for member in committee.members)


def record_meeting(actor, committee_id, *, held_on, attendee_ids, minutes, decisions, now):
    """Record a meeting with its decisions; each decision may create follow-ups.

    `decisions` is a list of (text, [follow-up dicts]) with title, responsible_id, due_on,
    description and optionally bazaar_id, vendor_id, restriction_id.
    """
    if held_on is None:
        raise Invalid("restriction.date_required", field="held_on")
    if not decisions or any(not (text or "").strip() for text, _ in decisions):
        raise Invalid("committee.decision_required", field="decisions")
    with write_transaction():
        committee = get_committee(committee_id)
        if not is_member(actor, committee):
            raise NotFound("committee.not_found")
        attendees = [_organiser(uid) for uid in set(attendee_ids or [])]
        meeting = Meeting(held_on=held_on, minutes=(minutes or "").strip(), created_at=now)
        meeting.attendees = attendees
        db.session.add(meeting)
        meeting.committee = committee
        record_audit("committee.meeting", meeting, actor=actor, now=now, committee=committee.id)
        for text, followups in decisions:
            decision = Decision(meeting=meeting, text=text.strip())
            db.session.add(decision)
            for data in followups:
                create_followup(actor, committee.id, decision=decision, now=now, **data)
    return meeting


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
    if due_on is None:
        raise Invalid("followup.due_required", field="due_on")
    with write_transaction():
        committee = get_committee(committee_id)
        responsible = _organiser(responsible_id)
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
    """Return a follow-up the user may see (a member of its committee), or raise NotFound."""
    followup = db.session.get(FollowUp, followup_id)
    if followup is None or not (
        is_member(user, followup.committee) or followup.responsible_id == user.id
    ):
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
    if status not in FollowUpStatus.__members__.values():
        raise Invalid("followup.bad_status", field="status")
    reason = (reason or "").strip() or None
    if status == FollowUpStatus.BLOCKED and not reason:
        raise Invalid("followup.reason_required", field="reason")
    with write_transaction():
        followup = get_followup(user, followup_id)
        if followup.status == status:
            raise Conflict("followup.same_status", field="status")
        followup.status = status
        followup.blocked_reason = reason if status == FollowUpStatus.BLOCKED else None
        followup.done_at = now if status == FollowUpStatus.DONE else None
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
        new = _organiser(responsible_id)
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


def my_followups(user):
    """The user's unfinished follow-ups, soonest due first."""
    query = db.select(FollowUp).where(
        FollowUp.responsible_id == user.id, FollowUp.status != FollowUpStatus.DONE.value
    )
    return db.session.scalars(query.order_by(FollowUp.due_on)).all()


def overdue_followups(user, today):
    """Unfinished follow-ups past their due date in the committees the user is on."""
    query = db.select(FollowUp).where(
        FollowUp.status != FollowUpStatus.DONE.value, FollowUp.due_on < today
    )
    return [
        f
        for f in db.session.scalars(query.order_by(FollowUp.due_on))
        if is_member(user, f.committee)
    ]


def followups_for_bazaar(bazaar_id):
    query = db.select(FollowUp).where(FollowUp.bazaar_id == bazaar_id).order_by(FollowUp.due_on)
    return db.session.scalars(query).all()


def remind(*, now):
    """Remind each responsible person of follow-ups due within 3 days or overdue; once a day."""
    today = local_date(now)
    query = db.select(FollowUp).where(
        FollowUp.status != FollowUpStatus.DONE.value,
        FollowUp.due_on <= today + timedelta(days=REMIND_DAYS),
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
