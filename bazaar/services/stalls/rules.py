"""What each state of a stall application means and allows: pure functions, no app, no database.

The states themselves are `AppState` (the column's vocabulary, in bazaar/models/stalls.py).
Services guard every change with these predicates, and templates ask the same predicates what
to show: the stalls blueprint makes this module the template global `stall_rules`.
"""

from flask_babel import lazy_gettext as _l

from bazaar.models.stalls import AppState
from bazaar.models.vendors import VendorStatus

# Holding a stall: counted in the stall type's `allocated`.
HOLDING = (AppState.ALLOCATED.value, AppState.CONFIRMED.value)
# Still in the running: a pre-registration while the bazaar is held counts as one.
ACTIVE = (AppState.APPLIED.value, AppState.WAITING.value, *HOLDING)
# Not (yet) given a stall, so the vendor may still step back.
UNDECIDED = (AppState.APPLIED.value, AppState.WAITING.value)

LABELS = {
    AppState.APPLIED.value: _l("Applied: waiting for the allocation round"),
    AppState.WAITING.value: _l("On the waiting list"),
    AppState.ALLOCATED.value: _l("Allocated: confirm by the deadline"),
    AppState.CONFIRMED.value: _l("Confirmed"),
    AppState.DECLINED.value: _l("Declined"),
    AppState.WITHDRAWN.value: _l("Withdrawn"),
    AppState.EXPIRED.value: _l("Expired: not confirmed in time"),
    AppState.REMOVED.value: _l("Removed by the organisers"),
    AppState.CANCELLED.value: _l("Bazaar cancelled"),
}


def label(application):
    """Name the application's state in the reader's language."""
    return LABELS[application.state]


def tone(application):
    """Return the colour a badge gives the state: settled, needs action, or neither."""
    return {AppState.CONFIRMED.value: "success", AppState.ALLOCATED.value: "warning"}.get(
        application.state, "secondary"
    )


def holds_stall(application):
    """Tell whether the application holds a stall (allocated or confirmed)."""
    return application.state in HOLDING


def stall_numbers(applications):
    """Number the stalls held, 1, 2, 3…, in the order given: {application id: stall number}.

    Given in the organisers' order (by stall type, then queue), the numbers group each type's
    stalls together, as the stalls stand in the venue's plan.
    """
    holders = [a for a in applications if holds_stall(a)]
    return {a.id: number for number, a in enumerate(holders, start=1)}


def is_active(application):
    """Tell whether the application is still in the running for a stall."""
    return application.state in ACTIVE


def is_waiting(application):
    """Tell whether the application waits on its stall type's list (it has a position)."""
    return application.state == AppState.WAITING.value


def awaits_confirmation(application):
    """Tell whether a stall was given and the vendor has not confirmed it yet."""
    return application.state == AppState.ALLOCATED.value


def in_good_standing(application):
    """Tell whether the application's vendor is verified: a suspended one may change nothing."""
    return application.vendor.status == VendorStatus.VERIFIED


def may_confirm(application, now):
    """Tell whether the vendor may confirm now: verified, allocated, the deadline not passed."""
    return (
        in_good_standing(application)
        and awaits_confirmation(application)
        and now <= application.confirm_by
    )


def may_decline(application):
    """Tell whether the vendor may give up the stall (it passes to the waiting list)."""
    return in_good_standing(application) and holds_stall(application)


def may_withdraw(application):
    """Tell whether the vendor may withdraw: only before a stall was given."""
    return application.state in UNDECIDED


def may_remove(application):
    """Tell whether an organiser may remove the application's stall."""
    return holds_stall(application)


def may_move(application):
    """Tell whether an organiser may move the application to another stall type."""
    return holds_stall(application)
