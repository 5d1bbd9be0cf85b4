"""Stall applications, fair allocation, confirmation and the waiting list.

rules.py: what each application state means and allows (pure); texts.py: the reasons' words;
claims.py: the guarded claim on a stall type's counter; waiting_list.py: passing stalls along;
applications.py: apply, confirm, decline, withdraw, expire, remove, move; round.py: the
allocation round; gate.py: what a bazaar's release or cancellation does to its stalls;
standing.py: what a vendor's suspension or rejection does to their
stalls; listings.py: the reads other pages need. Callers use the names re-exported here.
"""

from bazaar.services.stalls.applications import (
    apply_for_stall,
    check_papers,
    confirm_stall,
    decline_stall,
    expire_due,
    get_application,
    get_own_application,
    move_allocation,
    remove_allocation,
    withdraw_application,
)
from bazaar.services.stalls.claims import allocated_count, claim_stall, claim_stalls, free_stall
from bazaar.services.stalls.gate import on_bazaar_cancelled, on_bazaar_released
from bazaar.services.stalls.listings import (
    applications_for,
    count_registered,
    count_registered_by_bazaar,
    find_application,
    my_applications,
    registered_vendor_ids,
    vendor_histories,
)
from bazaar.services.stalls.reminders import remind_to_confirm
from bazaar.services.stalls.round import lottery_order, priority_flags, run_round
from bazaar.services.stalls.standing import withdraw_vendor
from bazaar.services.stalls.texts import PRIORITIES, REASONS, explain
from bazaar.services.stalls.waiting_list import promote_next

__all__ = [
    "PRIORITIES",
    "REASONS",
    "allocated_count",
    "applications_for",
    "apply_for_stall",
    "check_papers",
    "claim_stall",
    "claim_stalls",
    "confirm_stall",
    "count_registered",
    "count_registered_by_bazaar",
    "decline_stall",
    "expire_due",
    "explain",
    "find_application",
    "free_stall",
    "get_application",
    "get_own_application",
    "lottery_order",
    "move_allocation",
    "my_applications",
    "on_bazaar_cancelled",
    "on_bazaar_released",
    "priority_flags",
    "promote_next",
    "registered_vendor_ids",
    "remind_to_confirm",
    "remove_allocation",
    "run_round",
    "vendor_histories",
    "withdraw_application",
    "withdraw_vendor",
]
