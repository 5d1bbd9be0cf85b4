"""A follow-up's statuses, their labels, and what each status allows: pure, no database.

Templates show `LABELS[status]` and `BADGES[status]`; the service asks `check_status_change`
before it moves a follow-up, and `is_finished` / `is_overdue` wherever "still to do" matters.
"""

# The lazy variant, under the name pybabel extracts (with its context) by default.
from flask_babel import lazy_pgettext as pgettext

from bazaar.errors import Conflict, Invalid
from bazaar.models.followups import FollowUpStatus as Status

__all__ = [
    "BADGES",
    "LABELS",
    "STATUSES",
    "Status",
    "check_status_change",
    "is_finished",
    "is_overdue",
    "needs_reason",
]

STATUSES = tuple(Status)

# The context tells translators these are states, not actions: «باز», not «باز کردن».
LABELS = {
    Status.OPEN: pgettext("follow-up status", "Open"),
    Status.IN_PROGRESS: pgettext("follow-up status", "In progress"),
    Status.BLOCKED: pgettext("follow-up status", "Blocked"),
    Status.DONE: pgettext("follow-up status", "Done"),
}

# Bootstrap badge colour of each status.
BADGES = {
    Status.OPEN: "secondary",
    Status.IN_PROGRESS: "secondary",
    Status.BLOCKED: "danger",
    Status.DONE: "success",
}


def is_finished(status):
    """Tell whether nothing is left to do (no reminders, never overdue)."""
    return status == Status.DONE


def needs_reason(status):
    """Tell whether moving to `status` needs a written reason (blocked says what it waits for)."""
    return status == Status.BLOCKED


def is_overdue(status, due_on, today):
    """Tell whether an unfinished follow-up's due date has passed (`today` in Tehran)."""
    return not is_finished(status) and due_on < today


def check_status_change(current, new, reason):
    """Raise Invalid or Conflict unless a follow-up in `current` may move to `new`."""
    if new not in STATUSES:
        raise Invalid("followup.bad_status", field="status")
    if needs_reason(new) and not reason:
        raise Invalid("followup.reason_required", field="reason")
    if new == current:
        raise Conflict("followup.same_status", field="status")
