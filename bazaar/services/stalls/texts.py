"""Presentation texts of stall decisions: the priority rules' names and every reason's sentence.

An application stores its reason as a key and values; `explain` says it in the reader's language.
"""

from flask_babel import lazy_gettext as _l

from bazaar.i18n import format_number

PRIORITIES = {
    "first_time": _l("first-time vendor"),
    "left_out": _l("left out of the previous bazaar"),
}
REASONS = {
    "first_come": _l("A stall of this type was free when you applied."),
    "waiting": _l(
        "Every stall of this type was taken; you are number %(position)s on the waiting list."
    ),
    "applied": _l(
        "Your application waits for the allocation round after the application window closes."
    ),
    "round_allocated": _l(
        "Allocation round: %(priority)s; lottery position %(position)s of %(of)s."
    ),
    "round_waiting": _l(
        "Allocation round: %(priority)s; lottery position %(position)s of %(of)s. "
        "No stall was left: you are on the waiting list."
    ),
    "round_cap": _l(
        "Allocation round: %(priority)s; lottery position %(position)s of %(of)s. "
        "The limit for one of your categories was reached: you are on the waiting list."
    ),
    "promoted": _l("A stall was freed and passed to you from the waiting list."),
    "reconfirm": _l("The bazaar is going ahead again: please confirm your stall."),
    "removed": _l("The organisers removed the allocation: %(text)s"),
    "moved": _l("The organisers moved you to another stall type."),
    "declined": _l("You declined the stall."),
    "withdrawn": _l("You withdrew the application."),
    "expired": _l("The confirmation deadline passed, so the stall passed to the next vendor."),
    "cancelled": _l("The bazaar was cancelled."),
    "vendor_suspended": _l(
        "The organisers suspended your vendor profile, so this application was withdrawn. "
        "Reason: %(text)s"
    ),
    "vendor_rejected": _l(
        "The organisers did not verify your vendor profile, so this application was withdrawn. "
        "Reason: %(text)s"
    ),
}


def explain(reason):
    """Say in the reader's language why an application is where it is."""
    if not reason or reason.get("key") not in REASONS:
        return ""
    params = dict(reason)
    names = [str(PRIORITIES[p]) for p in params.get("priority", []) if p in PRIORITIES]
    params["priority"] = (
        str(_l("priority: %(names)s") % {"names": ", ".join(names)})
        if names
        else str(_l("no priority"))
    )
    # Positions read in the reader's digits: «جایگاه ۱ از ۲», not «جایگاه 1 از 2».
    params = {k: format_number(v) if isinstance(v, int) else v for k, v in params.items()}
    return str(REASONS[reason["key"]]) % params
