"""The allocation round: priority rules, then a lottery with a published seed, with caps.

A round bazaar collects applications until its window closes; an organiser then runs the round
once. Every decision records its priority, its lottery position and why it ended where it did.
"""

import random

from sqlalchemy.orm import selectinload

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import Application, AppState, Bazaar, Vendor
from bazaar.models.bazaars import AllocationMode
from bazaar.services.audit import record_audit
from bazaar.services.stalls import claims
from bazaar.services.stalls.texts import PRIORITIES
from bazaar.services.stalls.waiting_list import allocate, tell


def priority_flags(vendor_ids, bazaar, priorities):
    """Return {vendor_id: [rules met]} for the organiser's priority rules, in their order.

    first_time: the vendor never held a stall at another bazaar. left_out: the vendor's latest
    earlier bazaar ended with them on its waiting list.
    """
    vendor_ids = list(vendor_ids)
    held_before, left_out = set(), set()
    if "first_time" in priorities:
        held_before = set(
            db.session.scalars(
                db.select(Application.vendor_id).where(
                    Application.vendor_id.in_(vendor_ids),
                    Application.bazaar_id != bazaar.id,
                    Application.state.in_([AppState.CONFIRMED.value, AppState.ALLOCATED.value]),
                )
            )
        )
    if "left_out" in priorities:
        latest = {}
        rows = db.session.execute(
            db.select(Application.vendor_id, Application.state, Bazaar.starts_at)
            .join(Bazaar, Bazaar.id == Application.bazaar_id)
            .where(Application.vendor_id.in_(vendor_ids), Bazaar.starts_at < bazaar.starts_at)
            .order_by(Bazaar.starts_at)
        )
        for vendor_id, state, _starts in rows:
            latest[vendor_id] = state
        waiting = (AppState.WAITING.value, AppState.APPLIED.value)
        left_out = {v for v, state in latest.items() if state in waiting}
    flags = {}
    for vendor_id in vendor_ids:
        met = {"first_time": vendor_id not in held_before, "left_out": vendor_id in left_out}
        flags[vendor_id] = [rule for rule in priorities if met[rule]]
    return flags


def lottery_order(application_ids, seed):
    """Shuffle application ids with the published seed: the same seed, the same order."""
    order = sorted(application_ids)
    random.Random(seed).shuffle(order)  # noqa: S311 (a published, reproducible lottery)
    return order


def _round_bazaar(bazaar_id, now):
    bazaar = db.session.get(Bazaar, bazaar_id)
    if bazaar is None:
        raise NotFound("bazaar.not_found")
    if bazaar.allocation_mode != AllocationMode.ROUND:
        raise Conflict("stall.not_a_round")
    if bazaar.round_ran_at is not None:
        raise Conflict("stall.round_done")
    if bazaar.applications_close_at is not None and now < bazaar.applications_close_at:
        raise Conflict("stall.window_still_open")
    return bazaar


def run_round(actor, bazaar_id, *, seed, priorities=(), now):
    """Allocate a round's applications: priority rules, then the seeded lottery; caps respected."""
    seed = (seed or "").strip()
    if not seed or len(seed) > 64:
        raise Invalid("stall.seed_required", field="seed")
    unknown = set(priorities) - PRIORITIES.keys()
    if unknown:
        raise Invalid("stall.bad_priority", field="priorities")
    with write_transaction():
        bazaar = _round_bazaar(bazaar_id, now)
        applications = db.session.scalars(
            db.select(Application)
            .where(Application.bazaar_id == bazaar.id, Application.state == AppState.APPLIED.value)
            .options(selectinload(Application.vendor).selectinload(Vendor.user))
        ).all()
        by_id = {a.id: a for a in applications}
        lottery = {app_id: n for n, app_id in enumerate(lottery_order(by_id, seed), start=1)}
        vendor_flags = priority_flags({a.vendor_id for a in applications}, bazaar, priorities)
        flags = {a.id: vendor_flags[a.vendor_id] for a in applications}
        ranked = sorted(
            applications, key=lambda a: (*[p not in flags[a.id] for p in priorities], lottery[a.id])
        )
        caps = {cap.category_id: cap.max_stalls for cap in bazaar.category_caps}
        used = dict.fromkeys(caps, 0)
        free = {s.id: s.count - s.allocated for s in bazaar.stall_types}
        taken = dict.fromkeys(free, 0)
        positions = {}
        for application in ranked:
            base = {
                "priority": flags[application.id],
                "position": lottery[application.id],
                "of": len(ranked),
            }
            capped = [c for c in application.category_ids if c in caps and used[c] >= caps[c]]
            if not capped and taken[application.stall_type_id] < free[application.stall_type_id]:
                taken[application.stall_type_id] += 1
                allocate(application, bazaar, now, {"key": "round_allocated", **base})
                for category in application.category_ids:
                    if category in used:
                        used[category] += 1
            else:
                position = positions.get(application.stall_type_id, 0) + 1
                positions[application.stall_type_id] = position
                application.state, application.position = AppState.WAITING.value, position
                application.reason = {"key": "round_cap" if capped else "round_waiting", **base}
            record_audit("stall.round", application, actor=actor, now=now, state=application.state)
            allocated = application.state == AppState.ALLOCATED.value
            tell(application, "stall_allocated" if allocated else "stall_waiting", now)
        for stall_type_id, count in taken.items():
            # The same guard as claim_stall, for all of a type's stalls at once.
            if count and not claims.claim_stalls(stall_type_id, count):
                raise Conflict("stall.type_full")
        bazaar.lottery_seed, bazaar.round_ran_at = seed, now
        record_audit(
            "stall.round_run", bazaar, actor=actor, now=now, seed=seed, applications=len(ranked)
        )
    return ranked
