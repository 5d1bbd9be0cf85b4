"""Demo data for a first visit: the accounts the README lists."""

from bazaar.models import Role
from bazaar.services.accounts import register_user

DEMO_PASSWORD = "bazaar-demo-1405"  # noqa: S105 (public demo accounts, listed in the README)
DEMO_ACCOUNTS = [
    ("مدیر سامانه", "admin@bazaar.example", "09120000001", Role.ADMIN),
    ("زهرا احمدی (دبیرخانه)", "organiser@bazaar.example", "09120000002", Role.ORGANISER),
    ("فاطمه رضایی (ترشی خانگی)", "vendor@bazaar.example", "09120000003", Role.VENDOR),
    ("علی محمدی", "citizen@bazaar.example", "09120000004", Role.CITIZEN),
]


def seed_demo(*, now, echo=print):
    """Create the demo accounts; return how many were created."""
    for name, email, mobile, role in DEMO_ACCOUNTS:
        register_user(
            name=name,
            email=email,
            mobile=mobile,
            password=DEMO_PASSWORD,
            role=role,
            locale="fa",
            now=now,
        )
        echo(f"  {role.value:<10} {email} / {mobile}")
    return len(DEMO_ACCOUNTS)
