"""The demo accounts the README lists, the vendors waiting for review, and a reference lookup."""

from bazaar.extensions import db
from bazaar.models import Role

DEMO_PASSWORD = "bazaar-demo-1405"  # noqa: S105 (public demo accounts, listed in the README)
DEMO_ACCOUNTS = [
    ("مدیر سامانه", "admin@bazaar.example", "09120000001", Role.ADMIN),
    ("زهرا احمدی (دبیرخانه)", "organiser@bazaar.example", "09120000002", Role.ORGANISER),
    ("فاطمه رضایی (ترشی خانگی)", "vendor@bazaar.example", "09120000003", Role.VENDOR),
    ("علی محمدی", "citizen@bazaar.example", "09120000004", Role.CITIZEN),
]
# Waiting in the organisers' verification queue on a first visit.
PENDING_VENDORS = [
    (
        "معصومه کریمی",
        "pending1@bazaar.example",
        "09120000011",
        "دلمه و غذای خانگی معصومه",
        "home-food",
    ),
    ("نرگس صادقی", "pending2@bazaar.example", "09120000012", "بافتنی‌های نرگس", "knitting"),
]


def ids(model):
    """Return {code: id} of a reference table (fields, categories, regions)."""
    return {row.code: row.id for row in db.session.execute(db.select(model.id, model.code))}
