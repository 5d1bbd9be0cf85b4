"""Random sequences of stall operations keep every invariant (Hypothesis stateful testing).

After every step: allocations never exceed a stall type's count (and the counter matches the
applications holding stalls), a vendor holds at most one stall per bazaar, waiting lists are in
order (unique positions; no one waits while a stall of their type is free), a suspended vendor
has no application left in the running, and every change is in the audit log.
"""

import os
import shutil
from datetime import date, time, timedelta

import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from bazaar import create_app
from bazaar.errors import DomainError
from bazaar.extensions import db
from bazaar.models import (
    Application,
    AuditEntry,
    Bazaar,
    Category,
    Region,
    Role,
    StallType,
    Vendor,
)
from bazaar.services import restrictions, stalls
from bazaar.services.bazaars import planning
from bazaar.services.stalls.rules import ACTIVE, HOLDING
from tests.conftest import NOW, base_config, reference_ids

VENDORS = 6


class StallMachine(RuleBasedStateMachine):
    template = None
    folder = None

    def __init__(self):
        super().__init__()
        self.counter = getattr(StallMachine, "_n", 0) + 1
        StallMachine._n = self.counter
        path = self.folder / f"machine-{self.counter}.sqlite"
        shutil.copy(self.template, path)
        self.app = create_app(
            {**base_config(self.folder / f"i{self.counter}", f"sqlite:///{path}")}
        )
        self.context = self.app.app_context()
        self.context.push()
        self.now = NOW
        self.changes = 0

    def teardown(self):
        db.session.remove()
        db.engine.dispose()
        self.context.pop()

    @initialize()
    def setup(self):
        from bazaar.services import accounts, vendors

        self.organiser = accounts.register_user(
            name="o",
            email="o@example.com",
            mobile=None,
            password="organiser pass",
            role=Role.ORGANISER,
            locale="fa",
            now=NOW,
        )
        regions, fields = (
            reference_ids(Region),
            db.session.scalar(sa.text("SELECT id FROM fields WHERE code='sewing'")),
        )
        self.users, self.vendor_ids = [], []
        for n in range(VENDORS):
            user = accounts.register_user(
                name=f"v{n}",
                email=f"v{n}@example.com",
                mobile=None,
                password="vendor passphrase",
                role=Role.VENDOR,
                locale="fa",
                now=NOW,
            )
            vendor = vendors.save_profile(
                user,
                **{
                    "business_name": f"b{n}",
                    "owner_name": "o",
                    "mobile": f"0912000000{n}",
                    "county_id": regions["qom"],
                    "field_id": fields,
                },
                now=NOW,
            )
            vendors.submit_profile(user, now=NOW)
            vendors.decide_vendor(self.organiser, vendor.id, "verify", now=NOW)
            self.users.append(user)
            self.vendor_ids.append(vendor.id)
        data = planning.BazaarData(
            title="b",
            venue_name="v",
            county_id=regions["qom"],
            day=date(2026, 12, 30),
            start=time(10, 0),
            end=time(18, 0),
            applications_open_on=date(2026, 11, 1),
            applications_close_on=date(2026, 12, 20),
        )
        stall_types = [planning.StallTypeData("الف", 2), planning.StallTypeData("ب", 1)]
        self.bazaar = planning.create_bazaar(self.organiser, data, stall_types, now=NOW)
        planning.publish_bazaar(self.organiser, self.bazaar.id, now=NOW)
        self.data, self.type_names = data, ["الف", "ب"]
        self.type_ids = [
            s.id
            for s in sorted(db.session.get(Bazaar, self.bazaar.id).stall_types, key=lambda s: s.id)
        ]
        self.category = reference_ids(Category)["garments"]

    def _try(self, operation, *args, **kwargs):
        try:
            operation(*args, **kwargs)
        except DomainError:
            return False
        self.changes += 1
        return True

    def _application(self, index):
        return db.session.scalar(
            sa.select(Application).where(
                Application.bazaar_id == self.bazaar.id,
                Application.vendor.has(user_id=self.users[index].id),
            )
        )

    @rule(vendor=st.integers(0, VENDORS - 1), kind=st.integers(0, 1))
    def apply(self, vendor, kind):
        self._try(
            stalls.apply_for_stall,
            self.users[vendor],
            self.bazaar.id,
            self.type_ids[kind],
            [self.category],
            "",
            now=self.now,
        )

    @rule(vendor=st.integers(0, VENDORS - 1))
    def confirm(self, vendor):
        application = self._application(vendor)
        if application is not None:
            self._try(stalls.confirm_stall, self.users[vendor], application.id, now=self.now)

    @rule(vendor=st.integers(0, VENDORS - 1))
    def decline(self, vendor):
        application = self._application(vendor)
        if application is not None:
            self._try(stalls.decline_stall, self.users[vendor], application.id, now=self.now)

    @rule(vendor=st.integers(0, VENDORS - 1))
    def withdraw(self, vendor):
        application = self._application(vendor)
        if application is not None:
            self._try(stalls.withdraw_application, self.users[vendor], application.id, now=self.now)

    @rule(vendor=st.integers(0, VENDORS - 1))
    def suspend(self, vendor):
        from bazaar.services import vendors

        self._try(
            vendors.decide_vendor,
            self.organiser,
            self.vendor_ids[vendor],
            "suspend",
            reason="complaint",
            now=self.now,
        )

    @rule(vendor=st.integers(0, VENDORS - 1))
    def reinstate(self, vendor):
        from bazaar.services import vendors

        self._try(
            vendors.decide_vendor, self.organiser, self.vendor_ids[vendor], "verify", now=self.now
        )

    @rule(hours=st.integers(1, 72))
    def time_passes(self, hours):
        self.now += timedelta(hours=hours)
        if self.now > NOW + timedelta(days=25):
            self.now = NOW + timedelta(days=25)
        if stalls.expire_due(now=self.now):
            self.changes += 1

    @rule(kind=st.integers(0, 1), count=st.integers(0, 4))
    def change_count(self, kind, count):
        counts = [
            s.count
            for s in sorted(db.session.get(Bazaar, self.bazaar.id).stall_types, key=lambda s: s.id)
        ]
        counts[kind] = count
        stall_types = [
            planning.StallTypeData(name, c, id=type_id)
            for name, c, type_id in zip(self.type_names, counts, self.type_ids, strict=True)
        ]
        self._try(
            planning.update_bazaar,
            self.organiser,
            self.bazaar.id,
            self.data,
            stall_types,
            now=self.now,
        )

    @rule()
    def hold_and_release(self):
        restriction = restrictions.record_restriction(
            self.organiser,
            restrictions.RestrictionData("ستاد", "r", date(2026, 11, 1), None, date(2026, 11, 1)),
            now=self.now,
        )
        restrictions.lift_restriction(self.organiser, restriction.id, now=self.now)
        self.changes += 1

    @precondition(lambda self: db.session.get(Bazaar, self.bazaar.id).cancelled_at is None)
    @rule()
    def cancel(self):
        self._try(planning.cancel_bazaar, self.organiser, self.bazaar.id, "test", now=self.now)

    @invariant()
    def never_overbooked_and_counter_matches(self):
        db.session.expire_all()
        for stall_type in db.session.scalars(
            sa.select(StallType).where(StallType.bazaar_id == self.bazaar.id)
        ):
            holding = db.session.scalar(
                sa.select(sa.func.count(Application.id)).where(
                    Application.stall_type_id == stall_type.id, Application.state.in_(HOLDING)
                )
            )
            assert holding == stall_type.allocated <= stall_type.count

    @invariant()
    def one_stall_per_vendor_per_bazaar(self):
        rows = db.session.execute(
            sa.select(Application.vendor_id, sa.func.count())
            .where(Application.bazaar_id == self.bazaar.id)
            .group_by(Application.vendor_id)
        ).all()
        assert all(count == 1 for _vendor, count in rows)

    @invariant()
    def waiting_lists_in_order(self):
        for stall_type in db.session.scalars(
            sa.select(StallType).where(StallType.bazaar_id == self.bazaar.id)
        ):
            waiting = db.session.scalars(
                sa.select(Application.position).where(
                    Application.stall_type_id == stall_type.id, Application.state == "waiting"
                )
            ).all()
            assert len(set(waiting)) == len(waiting)
            if waiting:
                assert stall_type.allocated == stall_type.count  # nobody waits for a free stall

    @invariant()
    def suspended_vendors_have_nothing_in_the_running(self):
        active = db.session.scalar(
            sa.select(sa.func.count(Application.id))
            .join(Vendor, Vendor.id == Application.vendor_id)
            .where(Vendor.status != "verified", Application.state.in_(ACTIVE))
        )
        assert active == 0

    @invariant()
    def every_change_is_audited(self):
        applications = db.session.scalars(
            sa.select(Application.id).where(Application.bazaar_id == self.bazaar.id)
        ).all()
        audited = set(
            db.session.scalars(
                sa.select(AuditEntry.object_id).where(AuditEntry.object_type == "applications")
            )
        )
        assert {str(a) for a in applications} <= audited
        total = db.session.scalar(
            sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action.like("stall.%"))
        )
        assert total >= len(applications)


def test_random_stall_operations_keep_every_invariant(migrated_sqlite, tmp_path):
    StallMachine.template, StallMachine.folder = migrated_sqlite, tmp_path
    run_state_machine_as_test(
        StallMachine,
        settings=settings(
            max_examples=int(os.environ.get("BAZAAR_HYPOTHESIS_EXAMPLES", "25")),
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        ),
    )
