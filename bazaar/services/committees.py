"""Agencies, committees and their meetings; a meeting's decisions may create follow-ups."""

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound, Refused
from bazaar.extensions import db
from bazaar.models import Agency, Committee, Decision, Meeting, User
from bazaar.services.audit import record_audit
from bazaar.services.followups.service import create_followup
from bazaar.services.organisers import is_member, require_organiser


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
    """Every agency, by Persian name."""
    return db.session.scalars(db.select(Agency).order_by(Agency.name_fa)).all()


def _members(name, mandate, chair_id, member_ids):
    """Check a committee's fields; return its chair and members (the chair is always one)."""
    if not (name or "").strip():
        raise Invalid("committee.name_required", field="name")
    if not (mandate or "").strip():
        raise Invalid("committee.mandate_required", field="mandate")
    chair = require_organiser(chair_id, field="chair_id")
    members = {chair.id: chair}
    for member_id in member_ids or []:
        members[member_id] = require_organiser(member_id, field="member_ids")
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
    """Return the committee, or raise NotFound."""
    committee = db.session.get(Committee, committee_id)
    if committee is None:
        raise NotFound("committee.not_found")
    return committee


def list_committees():
    """Every committee, by name."""
    return db.session.scalars(db.select(Committee).order_by(Committee.name)).all()


def record_meeting(actor, committee_id, *, held_on, attendee_ids, minutes, decisions, now):
    """Record a meeting with its decisions; each decision may create follow-ups.

    `decisions` is a list of (text, [follow-up dicts]) with title, responsible_id, due_on,
    description and optionally bazaar_id, vendor_id, restriction_id. A refusal about the i-th
    decision carries `decision=i` (and `followup=j` for its j-th follow-up) in its params.
    """
    if held_on is None:
        raise Invalid("restriction.date_required", field="held_on")
    if not decisions:
        raise Invalid("committee.decision_required", field="decisions")
    for index, (text, _followups) in enumerate(decisions):
        if not (text or "").strip():
            raise Invalid("committee.decision_text_required", field="text", decision=index)
    with write_transaction():
        committee = get_committee(committee_id)
        if not is_member(actor, committee):
            raise NotFound("committee.not_found")
        attendees = [
            require_organiser(uid, field="attendee_ids") for uid in set(attendee_ids or [])
        ]
        meeting = Meeting(held_on=held_on, minutes=(minutes or "").strip(), created_at=now)
        meeting.attendees = attendees
        db.session.add(meeting)
        meeting.committee = committee
        record_audit("committee.meeting", meeting, actor=actor, now=now, committee=committee.id)
        for index, (text, followups) in enumerate(decisions):
            decision = Decision(meeting=meeting, text=text.strip())
            db.session.add(decision)
            for position, data in enumerate(followups):
                try:
                    create_followup(actor, committee.id, decision=decision, now=now, **data)
                except Refused as error:
                    error.params.update(decision=index, followup=position)
                    raise
    return meeting
