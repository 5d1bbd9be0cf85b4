"""Demo data for a first visit: the README's accounts and a realistic Persian catalogue.

`seed_demo` runs it all; catalogue.py writes vendors and products (in bulk for large
catalogues), plan.py the restrictions, bazaars, committees and a statistics snapshot.
"""

import random

from bazaar.models import Role
from bazaar.services.accounts import register_user
from bazaar.services.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD, PENDING_VENDORS
from bazaar.services.demo.catalogue import _demo_vendor_profile, _pending_vendor, bulk_catalogue
from bazaar.services.demo.plan import demo_bazaars, demo_committees
from bazaar.services.reference import seed_reference

__all__ = ["DEFAULT_PRODUCTS", "DEFAULT_VENDORS", "DEMO_ACCOUNTS", "DEMO_PASSWORD", "seed_demo"]

DEFAULT_VENDORS = 40
DEFAULT_PRODUCTS = 200


def seed_demo(*, now, echo=print, vendors=DEFAULT_VENDORS, products=DEFAULT_PRODUCTS, seed=1405):
    """Create the demo accounts and catalogue; return how many accounts were created."""
    rng = random.Random(seed)
    seed_reference(now=now)
    users = {}
    for name, email, mobile, role in DEMO_ACCOUNTS:
        users[role] = register_user(
            name=name,
            email=email,
            mobile=mobile,
            password=DEMO_PASSWORD,
            role=role,
            locale="fa",
            now=now,
        )
        echo(f"  {role.value:<10} {email} / {mobile}")
    _demo_vendor_profile(users[Role.VENDOR], now)
    for owner, email, mobile, business, field in PENDING_VENDORS:
        _pending_vendor(owner, email, mobile, business, field, now)
    echo(f"  catalogue: {vendors} vendors, {products} products …")
    bulk_catalogue(
        rng, now, vendors=vendors, products=products, photos_per_kind=3 if products > 1000 else None
    )
    echo("  catalogue ready")
    held = demo_bazaars(users[Role.ORGANISER], users[Role.VENDOR], users[Role.CITIZEN], now)
    echo("  bazaars and restrictions ready")
    demo_committees(users[Role.ADMIN], users[Role.ORGANISER], held, now)
    echo("  committees, follow-ups and a statistics snapshot ready")
    return len(DEMO_ACCOUNTS) + len(PENDING_VENDORS)
