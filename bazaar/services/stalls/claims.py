"""The guarded claim: the one way a stall type's `allocated` counter goes up, and back down.

A claim is an UPDATE guarded by `allocated + n <= count` and checked by its row count, run
inside a write transaction; the database's CHECK refuses anything past the count even if code
went wrong. Never read the free count and write later: that is the race the guard closes.
"""

from sqlalchemy import update

from bazaar.extensions import db
from bazaar.models import StallType


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
    """Return how many stalls of a type are held now (0 for an unknown type)."""
    return (
        db.session.scalar(db.select(StallType.allocated).where(StallType.id == stall_type_id)) or 0
    )
