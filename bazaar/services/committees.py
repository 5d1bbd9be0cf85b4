"""Committees and their meetings; a meeting's decisions may create follow-ups.

Agencies are in agencies.py (`save_agency` and `list_agencies` are named here too, for the
callers that knew them here).
"""

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound, Refused
from bazaar.extensions import db
from bazaar.models import Committee, Decision, Guest, Meeting, User
from bazaar.services import images
from bazaar.services.accounts import find_user_by_identifier
from bazaar.services.agencies import list_agencies as list_agencies
from bazaar.services.agencies import require_active_agency
from bazaar.services.agencies import save_agency as save_agency
from bazaar.services.audit import record_audit
from bazaar.services.followups.service import create_followup
from bazaar.services.invitations import invite_person, send_invitation
from bazaar.services.organisers import is_member, require_organiser


def set_agency(actor, user_id, agency_id, *, now):
    """Place an organiser in an agency (or none); a retired agency takes no one new."""
    with write_transaction():
        user = db.session.get(User, user_id)
        if user is None:
            raise NotFound("account.not_found")
        if agency_id is not None and agency_id != user.agency_id:
            require_active_agency(agency_id)
        user.agency_id = agency_id
        record_audit("account.agency", user, actor=actor, now=now, agency=agency_id)
    return user


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


def _check_meeting(held_on, decisions, guests):
    if held_on is None:
        raise Invalid("restriction.date_required", field="held_on")
    if not decisions:
        raise Invalid("committee.decision_required", field="decisions")
    for index, (text, _followups) in enumerate(decisions):
        if not (text or "").strip():
            raise Invalid("committee.decision_text_required", field="text", decision=index)
    for index, guest in enumerate(guests):
        if not (guest.get("name") or "").strip():
            raise Invalid("committee.guest_name_required", field="name", guest=index)


def _add_guests(meeting, guests):
    for index, guest in enumerate(guests):
        agency_id = guest.get("agency_id")
        if agency_id is not None:
            try:
                require_active_agency(agency_id)
            except Refused as error:
                error.params.update(field="agency_id", guest=index)
                raise
        meeting.guests.append(
            Guest(
                name=guest["name"].strip()[:120],
                agency_id=agency_id,
                role=(guest.get("role") or "").strip()[:120],
            )
        )


def _create_followups(actor, committee, decision, index, followups, invited, now):
    for position, data in enumerate(followups):
        data = dict(data)
        invite = data.pop("invite", None)
        try:
            if invite and not data.get("responsible_id"):
                # The same person invited twice in one meeting is one invitation.
                person = find_user_by_identifier(invite.get("contact"))
                if person is None or person.id not in invited:
                    person = invite_person(actor, now=now, **invite)
                data["responsible_id"] = person.id
                invited.setdefault(person.id, (person, []))
            followup = create_followup(actor, committee.id, decision=decision, now=now, **data)
        except Refused as error:
            error.params.update(decision=index, followup=position)
            raise
        if followup.responsible_id in invited:
            invited[followup.responsible_id][1].append(followup.title)


def _store_minutes(data):
    try:
        return images.store_document(data)
    except Refused as error:
        error.params.setdefault("field", "minutes_document")
        raise


def record_meeting(
    actor,
    committee_id,
    *,
    held_on,
    attendee_ids,
    minutes,
    decisions,
    now,
    guests=(),
    minutes_document=None,
):
    """Record a meeting with its decisions; each decision may create follow-ups.

    `decisions` is a list of (text, [follow-up dicts]) with title, responsible_id, due_on,
    description and optionally bazaar_id, vendor_id, restriction_id, or, for a responsible
    person without an account, `invite` (name, contact, agency_id): they are invited into the
    agency, the follow-up is theirs at once and the invitation is their claim link. `guests`
    are attendees without an account (name, agency_id, role); `minutes_document` the signed
    minutes (a PDF or a photo, checked like every document). A refusal about the i-th decision
    carries `decision=i` (and `followup=j` for its j-th follow-up) in its params, about the
    i-th guest `guest=i`.
    """
    guests = list(guests or [])
    _check_meeting(held_on, decisions, guests)
    document = _store_minutes(minutes_document) if minutes_document else None
    try:
        with write_transaction():
            committee = get_committee(committee_id)
            if not is_member(actor, committee):
                raise NotFound("committee.not_found")
            attendees = [
                require_organiser(uid, field="attendee_ids") for uid in set(attendee_ids or [])
            ]
            meeting = Meeting(
                held_on=held_on,
                minutes=(minutes or "").strip(),
                minutes_document=document,
                created_at=now,
            )
            meeting.attendees = attendees
            db.session.add(meeting)
            meeting.committee = committee
            _add_guests(meeting, guests)
            record_audit("committee.meeting", meeting, actor=actor, now=now, committee=committee.id)
            invited = {}
            for index, (text, followups) in enumerate(decisions):
                decision = Decision(meeting=meeting, text=text.strip())
                db.session.add(decision)
                _create_followups(actor, committee, decision, index, followups, invited, now)
            for person, titles in invited.values():
                send_invitation(person, titles, now=now)
    except Exception:
        if document:
            images.delete_image("documents", document)
        raise
    return meeting


def get_meeting(meeting_id):
    """Return the meeting, or raise NotFound."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise NotFound("committee.not_found")
    return meeting
