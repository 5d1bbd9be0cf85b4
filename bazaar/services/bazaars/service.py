"""The bazaars service under its old name, for callers outside the bazaars area.

The code lives by concern: planning.py, listing.py, interest.py, gate.py, and
bazaar/services/restrictions.py. New code imports from those; once stalls, committees, the CLI,
the demo data and their tests do too, this module goes.
"""

from bazaar.services.bazaars.gate import sync_holds
from bazaar.services.bazaars.interest import count_interest, find_interest, subscribe, unsubscribe
from bazaar.services.bazaars.listing import (
    bazaars_between,
    get_bazaar,
    get_public_bazaar,
    held_dashboard,
    list_all_bazaars,
    list_public_bazaars,
    state_of,
)
from bazaar.services.bazaars.planning import (
    BazaarData,
    StallTypeData,
    cancel_bazaar,
    create_bazaar,
    create_series,
    publish_bazaar,
    reschedule_bazaar,
    update_bazaar,
)
from bazaar.services.restrictions import (
    RestrictionData,
    all_restrictions,
    get_restriction,
    lift_restriction,
    list_restrictions,
    record_restriction,
    set_restriction_end,
)

__all__ = [
    "BazaarData",
    "RestrictionData",
    "StallTypeData",
    "all_restrictions",
    "bazaars_between",
    "cancel_bazaar",
    "count_interest",
    "create_bazaar",
    "create_series",
    "find_interest",
    "get_bazaar",
    "get_public_bazaar",
    "get_restriction",
    "held_dashboard",
    "lift_restriction",
    "list_all_bazaars",
    "list_public_bazaars",
    "list_restrictions",
    "publish_bazaar",
    "record_restriction",
    "reschedule_bazaar",
    "set_restriction_end",
    "state_of",
    "subscribe",
    "sync_holds",
    "unsubscribe",
    "update_bazaar",
]
