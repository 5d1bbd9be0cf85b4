"""Organisers: the people committees are made of and follow-ups are given to.

Committees and follow-ups both ask these questions, so they live here, below both services.
"""

from bazaar.errors import Invalid
from bazaar.extensions import db
from bazaar.models import Role, User


def list_organisers():
    """Active organisers and admins, by name."""
    query = db.select(User).where(
        User.role.in_([Role.ORGANISER.value, Role.ADMIN.value]), User.disabled_at.is_(None)
    )
    return db.session.scalars(query.order_by(User.name)).all()


def require_organiser(user_id, *, field="responsible_id"):
    """Return the active organiser (or admin) with this id, or raise Invalid on `field`."""
    user = db.session.get(User, user_id or 0)
    if user is None or not user.has_role(Role.ORGANISER) or not user.is_active:
        raise Invalid("committee.not_an_organiser", field=field)
    return user


def is_member(user, committee):
    """Tell whether the user sits on the committee (admins sit on every committee)."""
    return user.has_role(Role.ADMIN) or any(member.id == user.id for member in committee.members)
