"""Demo data for a first visit: the README's accounts and a realistic Persian catalogue."""

import io
import random
from datetime import timedelta

from PIL import Image, ImageDraw
from sqlalchemy import insert

from bazaar.data import demo_catalogue as words
from bazaar.database import sync_sequences, write_transaction
from bazaar.extensions import db
from bazaar.i18n import local_date
from bazaar.models import Category, Field, Product, ProductPhoto, Region, Role, Vendor, VendorStatus
from bazaar.services import catalogue, images
from bazaar.services.accounts import register_user
from bazaar.services.catalogue_version import bump_catalogue_version
from bazaar.services.reference import seed_reference
from bazaar.services.search_index import refresh_statistics
from bazaar.services.vendors import save_profile
from bazaar.text import normalize_search

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
DEFAULT_VENDORS = 40
DEFAULT_PRODUCTS = 200
CHUNK = 5000


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


def _ids(model):
    return {row.code: row.id for row in db.session.execute(db.select(model.id, model.code))}


def _demo_vendor_profile(user, now):
    fields, regions = _ids(Field), _ids(Region)
    today = local_date(now)
    save_profile(
        user,
        **{
            "business_name": "ترشی‌سرای فاطمه",
            "owner_name": user.name.split(" (")[0],
            "mobile": user.mobile,
            "county_id": regions["qom"],
            "district_id": regions["qom-3"],
            "address": "قم، خیابان صفائیه، کوچهٔ ۱۲",
            "description": "ترشی و مربای خانگی با دستور مادربزرگ؛ سفارش برای مجالس پذیرفته می‌شود.",
            "field_id": fields["pickles-jam"],
            "licence_number": "QM-1403-0412",
            "licence_body": "ادارهٔ کل تعاون، کار و رفاه اجتماعی استان قم",
            "licence_kind": "independent",
            "licence_issued_on": today - timedelta(days=400),
            "licence_expires_on": today + timedelta(days=25),
            "health_id": "HB-77120",
            "health_id_expires_on": today + timedelta(days=300),
        },
        now=now,
    )
    with write_transaction():
        vendor = db.session.scalar(db.select(Vendor).where(Vendor.user_id == user.id))
        vendor.status, vendor.submitted_at, vendor.decided_at = (
            VendorStatus.VERIFIED.value,
            now,
            now,
        )
    categories = _ids(Category)
    rng = random.Random(3)
    for kind, (name, description, unit, (low, _high)) in [
        ("pickles", words.PRODUCTS["pickles"][1]),
        ("pickles", words.PRODUCTS["pickles"][0]),
        ("jam-honey", words.PRODUCTS["jam-honey"][0]),
        ("jam-honey", words.PRODUCTS["jam-honey"][2]),
    ]:
        product = catalogue.save_product(
            user,
            None,
            catalogue.ProductData(
                name=name,
                description=description,
                category_id=categories[kind],
                price_toman=low,
                unit=unit,
            ),
            now=now,
        )
        catalogue.add_photo(user, product.id, demo_photo(rng, words.COLOURS["food"]), now=now)


def _pending_vendor(owner, email, mobile, business, field, now):
    user = register_user(
        name=owner,
        email=email,
        mobile=mobile,
        password=DEMO_PASSWORD,
        role=Role.VENDOR,
        locale="fa",
        now=now,
    )
    fields, regions = _ids(Field), _ids(Region)
    today = local_date(now)
    save_profile(
        user,
        **{
            "business_name": business,
            "owner_name": owner,
            "mobile": mobile,
            "county_id": regions["kahak"],
            "field_id": fields[field],
            "licence_number": f"QM-1404-{mobile[-4:]}",
            "licence_body": "ادارهٔ کل تعاون، کار و رفاه اجتماعی استان قم",
            "licence_expires_on": today + timedelta(days=700),
            "health_id": "HB-50001" if field == "home-food" else None,
            "health_id_expires_on": today + timedelta(days=200) if field == "home-food" else None,
        },
        now=now,
    )
    with write_transaction():
        vendor = db.session.scalar(db.select(Vendor).where(Vendor.user_id == user.id))
        vendor.status, vendor.submitted_at = VendorStatus.PENDING.value, now


def demo_photo(rng, colour):
    """Draw a simple product picture (a jar or bowl on a coloured ground) as PNG bytes."""
    size = 640
    shade = tuple(max(0, min(255, c + rng.randint(-40, 40))) for c in colour)
    image = Image.new("RGB", (size, size), tuple(min(255, c + 90) for c in shade))
    draw = ImageDraw.Draw(image)
    left, top = rng.randint(140, 200), rng.randint(120, 200)
    draw.rounded_rectangle(
        (left, top, size - left, size - 90), radius=60, fill=shade, outline=(60, 40, 30), width=8
    )
    draw.rectangle((left + 40, top - 50, size - left - 40, top + 10), fill=(90, 70, 50))
    draw.ellipse((size // 2 - 70, top + 110, size // 2 + 70, top + 250), fill=(250, 245, 230))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _photo_for(rng, top_code, pool):
    if pool is not None and len(pool.setdefault(top_code, [])) >= pool["_size"]:
        return rng.choice(pool[top_code])
    full, thumb, (width, height) = images.process_image(demo_photo(rng, words.COLOURS[top_code]))
    names = images.store_image("products", full, thumb)
    if pool is not None:
        pool[top_code].append((names, width, height))
    return names, width, height


def bulk_catalogue(rng, now, *, vendors, products, photos_per_kind=None):
    """Insert many user-less (imported-like) verified vendors and their products quickly.

    With photos_per_kind, products share a small pool of generated photos (for scale tests);
    otherwise each product gets its own.
    """
    fields = {f.code: f for f in db.session.scalars(db.select(Field))}
    categories = {c.code: c for c in db.session.scalars(db.select(Category))}
    counties = db.session.scalars(
        db.select(Region).where(Region.kind == "county").order_by(Region.id)
    ).all()
    districts = db.session.scalars(db.select(Region).where(Region.kind == "district")).all()
    kinds = list(words.PRODUCTS)
    today = local_date(now)
    pool = {"_size": photos_per_kind} if photos_per_kind else None
    with write_transaction():
        next_vendor = (db.session.scalar(db.select(db.func.max(Vendor.id))) or 0) + 1
        next_product = (db.session.scalar(db.select(db.func.max(Product.id))) or 0) + 1
        vendor_rows, vendor_kind = [], {}
        for n in range(vendors):
            kind = kinds[n % len(kinds)]
            field = fields[words.FIELD_FOR_CATEGORY[kind]]
            county = counties[0] if rng.random() < 0.7 else rng.choice(counties)
            owner = f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"
            business = f"{rng.choice(words.BUSINESS_WORDS[field.code])} {owner.split()[0]}"
            description = (
                f"تولید خانگی {field.name_fa} در {county.name_fa}؛ سفارش تلفنی پذیرفته می‌شود."
            )
            vendor_id = next_vendor + n
            vendor_kind[vendor_id] = kind
            expiry = today + timedelta(days=rng.choice([15, 25, 200, 400, 700]) if n % 9 else -10)
            vendor_rows.append(
                {
                    "id": vendor_id,
                    "ref": f"demo-{vendor_id}",
                    "business_name": business,
                    "owner_name": owner,
                    "mobile": f"0915{vendor_id:07d}"[-11:],
                    "county_id": county.id,
                    "district_id": rng.choice(districts).id
                    if county.code == "qom" and districts
                    else None,
                    "description": description,
                    "field_id": field.id,
                    "licence_number": f"QM-{1400 + n % 5}-{vendor_id:05d}",
                    "licence_body": "ادارهٔ کل تعاون، کار و رفاه اجتماعی استان قم",
                    "licence_kind": "independent" if n % 4 else "supporting",
                    "licence_issued_on": expiry - timedelta(days=3 * 365),
                    "licence_expires_on": expiry,
                    "health_id": f"HB-{vendor_id:06d}" if field.starred else None,
                    "health_id_expires_on": today + timedelta(days=365) if field.starred else None,
                    "status": VendorStatus.VERIFIED.value,
                    "submitted_at": now,
                    "decided_at": now,
                    "search_text": normalize_search(
                        f"{business} {owner} {description} {field.name_fa} {field.name_en}"
                    ),
                    "created_at": now,
                    "updated_at": now,
                }
            )
        for start in range(0, len(vendor_rows), CHUNK):
            db.session.execute(insert(Vendor), vendor_rows[start : start + CHUNK])
        vendor_names = {row["id"]: row["business_name"] for row in vendor_rows}
        product_rows, photo_rows = [], []
        vendor_ids = list(vendor_kind)
        for n in range(products if vendor_ids else 0):
            vendor_id = vendor_ids[n % len(vendor_ids)]
            kind = vendor_kind[vendor_id] if rng.random() < 0.85 else rng.choice(kinds)
            category = categories[kind]
            name, description, unit, (low, high) = rng.choice(words.PRODUCTS[kind])
            price = rng.randrange(low, high, 5000)
            product_id = next_product + n
            created = now - timedelta(minutes=products - n)
            product_rows.append(
                {
                    "id": product_id,
                    "vendor_id": vendor_id,
                    "ref": f"p-{product_id}",
                    "name": name,
                    "description": description,
                    "category_id": category.id,
                    "price_toman": price,
                    "unit": unit,
                    "availability": rng.choice(["in_stock", "in_stock", "to_order", "unavailable"]),
                    "listed": True,  # every vendor above is verified
                    "search_text": normalize_search(
                        f"{name} {description} {vendor_names[vendor_id]} "
                        f"{category.name_fa} {category.name_en}"
                    ),
                    "created_at": created,
                    "updated_at": created,
                }
            )
            top = category.parent.code if category.parent else category.code
            (full, thumb), width, height = _photo_for(rng, top, pool)
            photo_rows.append(
                {
                    "product_id": product_id,
                    "position": 0,
                    "filename": full,
                    "thumbnail": thumb,
                    "width": width,
                    "height": height,
                }
            )
        for start in range(0, len(product_rows), CHUNK):
            db.session.execute(insert(Product), product_rows[start : start + CHUNK])
            db.session.execute(insert(ProductPhoto), photo_rows[start : start + CHUNK])
        bump_catalogue_version()  # bulk inserts bypass the session's change tracking
        sync_sequences(db.session)  # the rows above came with their ids
    refresh_statistics()
    return len(vendor_rows), len(product_rows)


def demo_bazaars(organiser, vendor_user, citizen, now):
    """Restrictions (one in force for Qom county, one lifted) and bazaars in every state."""
    from datetime import time

    from bazaar.services import restrictions, stalls
    from bazaar.services.bazaars import interest, planning

    regions = _ids(Region)
    today = local_date(now)
    restrictions.record_restriction(
        organiser,
        restrictions.RestrictionData(
            body="ستاد استانی مدیریت بیماری قم",
            reference="۱۴۰۵/۳۱۲",
            decided_on=today - timedelta(days=20),
            region_id=regions["qom"],
            starts_on=today - timedelta(days=18),
            note="برگزاری هرگونه بازارچه و تجمع تا اطلاع ثانوی ممنوع است.",
        ),
        now=now,
    )
    lifted = restrictions.record_restriction(
        organiser,
        restrictions.RestrictionData(
            body="فرمانداری کهک",
            reference="۱۴۰۵/۸۸",
            decided_on=today - timedelta(days=40),
            region_id=regions["kahak"],
            starts_on=today - timedelta(days=38),
        ),
        now=now,
    )
    restrictions.lift_restriction(organiser, lifted.id, now=now)

    def bazaar(title, county, days, mode="first_come"):
        day = today + timedelta(days=days)
        data = planning.BazaarData(
            title=title,
            venue_name="بوستان علوی" if county == "qom" else "سالن اجتماعات شهر",
            venue_address="بلوار امین" if county == "qom" else "",
            county_id=regions[county],
            day=day,
            start=time(16, 0),
            end=time(21, 0),
            description="بازارچهٔ فروش محصولات مشاغل خانگی: غذا، شیرینی، ترشی و صنایع دستی.",
            applications_open_on=today - timedelta(days=5),
            applications_close_on=day - timedelta(days=3),
            allocation_mode=mode,
        )
        stall_types = [
            planning.StallTypeData("غرفهٔ غذا", 6, 300_000, True),
            planning.StallTypeData("میز صنایع دستی", 8, 150_000, False),
        ]
        created = planning.create_bazaar(organiser, data, stall_types, now=now)
        planning.publish_bazaar(organiser, created.id, now=now)
        return created

    held = bazaar("بازارچهٔ غذای خانگی قم — آذر", "qom", 21)
    bazaar("بازارچهٔ یلدا در قم", "qom", 28, mode="round")
    bazaar("بازارچهٔ مشاغل خانگی جعفرآباد", "jafarabad", 14)
    moved = bazaar("بازارچهٔ صنایع دستی سلفچگان", "salafchegan", 10)
    planning.reschedule_bazaar(
        organiser,
        moved.id,
        today + timedelta(days=17),
        time(15, 0),
        time(20, 0),
        "هم‌زمانی با مراسم شهر",
        now=now,
    )
    cancelled = bazaar("بازارچهٔ کهک", "kahak", 12)
    planning.cancel_bazaar(organiser, cancelled.id, "محل برگزاری در دسترس نیست.", now=now)
    interest.subscribe(held.id, now=now, user=citizen)
    neighbour, _created = interest.subscribe(held.id, now=now, email="neighbour@bazaar.example")
    interest.confirm_interest(neighbour.confirm_token, now=now)
    food = next(s for s in held.stall_types if s.is_food)
    categories = _ids(Category)
    stalls.apply_for_stall(
        vendor_user, held.id, food.id, [categories["pickles"]], "ترشی و مربای خانگی", now=now
    )
    return held


AGENCIES = [
    ("جهاد دانشگاهی استان قم (دبیرخانه)", "University Jihad of Qom (secretariat)"),
    (
        "ادارهٔ کل تعاون، کار و رفاه اجتماعی",
        "Directorate of Cooperatives, Labour and Social Welfare",
    ),
    ("شبکهٔ بهداشت و درمان", "Health network"),
    ("اتاق بازرگانی قم", "Qom Chamber of Commerce"),
]


def demo_committees(admin, organiser, held, now):
    """Agencies, a committee with a meeting whose decisions made follow-ups, and a snapshot."""
    from bazaar.services import committees, statistics

    agencies = [
        committees.save_agency(admin, name_fa=fa, name_en=en, now=now) for fa, en in AGENCIES
    ]
    committees.set_agency(admin, admin.id, agencies[0].id, now=now)
    committees.set_agency(admin, organiser.id, agencies[1].id, now=now)
    committee = committees.create_committee(
        admin,
        name="کمیتهٔ بازارچه‌ها و نمایشگاه‌ها",
        mandate="برنامه‌ریزی بازارچه‌های مشاغل خانگی، پیگیری مجوز برگزاری و آماده‌سازی محل‌ها.",
        chair_id=admin.id,
        member_ids=[organiser.id],
        now=now,
    )
    today = local_date(now)
    park = {
        "title": "هماهنگی با شهرداری برای بوستان علوی",
        "responsible_id": organiser.id,
        "due_on": today + timedelta(days=2),
        "bazaar_id": held.id,
    }
    health = {
        "title": "تهیهٔ فهرست شناسه‌های بهداشتی",
        "responsible_id": admin.id,
        "due_on": today - timedelta(days=1),
    }
    committees.record_meeting(
        admin,
        committee.id,
        held_on=today - timedelta(days=7),
        attendee_ids=[admin.id, organiser.id],
        minutes="بررسی وضعیت بازارچه‌های در تعلیق و آمادگی برای برگزاری پس از رفع محدودیت.",
        decisions=[
            ("بوستان علوی برای برگزاری بازارچه پس از رفع محدودیت آماده شود.", [park]),
            ("فهرست فروشندگان دارای شناسهٔ بهداشتی معتبر تهیه شود.", [health]),
        ],
        now=now,
    )
    statistics.publish_snapshot(admin, note="آمار پایهٔ آذر ۱۴۰۵", now=now)
