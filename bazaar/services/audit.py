"""Audit entries, written in the same transaction as the change they describe."""

from bazaar.extensions import db
from bazaar.models import AuditEntry


def record_audit(action, obj, *, actor=None, actor_id=None, now, **details):
    """Add an audit entry for `action` on `obj` (a model instance, or a (type, id) pair).

    `actor` is the user who acted; `actor_id` may stand in for it when only the id is at hand.
    """
    if isinstance(obj, tuple):
        object_type, object_id = obj
    else:
        if obj.id is None:
            db.session.flush()  # a new object gets its id
        object_type, object_id = obj.__tablename__, obj.id
    entry = AuditEntry(
        at=now,
        actor_id=actor.id if actor is not None else actor_id,
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id),
        details=details,
    )
    db.session.add(entry)
    return entry


def list_audit(*, object_type=None, object_id=None):
    """Return audit entries, newest first, optionally for one object."""
    query = db.select(AuditEntry).order_by(AuditEntry.id.desc())
    if object_type is not None:
        query = query.where(AuditEntry.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEntry.object_id == str(object_id))
    return db.session.scalars(query).all()
