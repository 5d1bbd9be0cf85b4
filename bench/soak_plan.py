"""Soak set-up, run with the app's environment: a bazaar open for applications, fresh vendor
accounts to book it, and what the clients draw from (ids, search words); printed as JSON."""

import json
import random
import sys
from datetime import time as clock
from datetime import timedelta

import sqlalchemy as sa
from werkzeug.security import generate_password_hash

from bazaar import create_app
from bazaar.database import sync_sequences
from bazaar.extensions import db
from bazaar.i18n import local_date
from bazaar.models import Category, Product, Region, Role, User, Vendor
from bazaar.models.types import utcnow
from bazaar.services.bazaars import planning


def open_bazaar(now, county):
    """A published bazaar a month away with one type of 5,000 stalls; return it."""
    organiser = db.session.scalar(sa.select(User).where(User.role == Role.ORGANISER))
    data = planning.BazaarData(
        title="soak",
        venue_name="v",
        county_id=county,
        day=local_date(now) + timedelta(days=30),
        start=clock(10),
        end=clock(18),
    )
    stall_types = [planning.StallTypeData("میز", 5000, None, False)]
    bazaar = planning.create_bazaar(organiser, data, stall_types, now=now)
    planning.publish_bazaar(organiser, bazaar.id, now=now)
    return bazaar


def add_vendors(now, county, count, password, run_id):
    """Insert `count` verified vendors with accounts (one password hash); return emails."""
    field = db.session.scalar(sa.text("SELECT id FROM fields WHERE code = 'sewing'"))
    start = db.session.scalar(sa.select(sa.func.max(User.id))) + 1
    emails = [f"soak{run_id}-{n}@example.com" for n in range(count)]
    users = [
        {
            **{"id": start + n, "email": email, "name": f"s{n}", "password_hash": password},
            **{"role": "vendor", "locale": "fa", "session_version": 1, "created_at": now},
        }
        for n, email in enumerate(emails)
    ]
    vendors = [
        {
            **{"user_id": start + n, "business_name": f"soak {n}", "owner_name": "o"},
            **{"mobile": f"0915{run_id % 1000:03d}{n:04d}", "county_id": county},
            **{"field_id": field, "licence_kind": "independent", "status": "verified"},
            **{"description": "", "search_text": "", "created_at": now, "updated_at": now},
        }
        for n in range(count)
    ]
    db.session.execute(sa.insert(User), users)
    db.session.execute(sa.insert(Vendor), vendors)
    sync_sequences(db.session)
    db.session.commit()
    return emails


def main(count, password):
    app = create_app()
    with app.app_context():
        now, run_id = utcnow(), random.randrange(10**6)
        county = db.session.scalar(sa.select(Region.id).where(Region.code == "qom"))
        bazaar = open_bazaar(now, county)
        hashed = generate_password_hash(password, app.config["PASSWORD_HASH_METHOD"])
        emails = add_vendors(now, county, count, hashed, run_id)
        names = db.session.scalars(sa.select(Product.name).order_by(sa.func.random()).limit(300))
        plan = {
            "bazaar": bazaar.id,
            "stall_type": bazaar.stall_types[0].id,
            "category": db.session.scalar(sa.select(Category.id).limit(1)),
            "categories": db.session.scalars(sa.select(Category.id)).all(),
            "products": db.session.scalar(sa.select(sa.func.max(Product.id))),
            "vendors": db.session.scalar(sa.select(sa.func.max(Vendor.id))),
            "bookers": emails,
            "words": sorted({w for name in names for w in name.split() if len(w) > 2}),
            "run_id": run_id,
        }
    print(json.dumps(plan, ensure_ascii=False))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
