"""Demo catalogue: the demo vendor's profile, vendors awaiting review, and many imported-like
vendors with products and generated photos, written in bulk."""

import functools
import random
from contextlib import contextmanager
from datetime import timedelta

from sqlalchemy import insert, text

from bazaar.data import demo_catalogue as words
from bazaar.database import sync_sequences, write_transaction
from bazaar.extensions import db
from bazaar.i18n import local_date
from bazaar.models import Category, Field, Product, ProductPhoto, Region, Role, Vendor, VendorStatus
from bazaar.services import catalogue, images
from bazaar.services.accounts import register_user
from bazaar.services.catalogue_version import bump_catalogue_version
from bazaar.services.demo.accounts import DEMO_PASSWORD, ids
from bazaar.services.demo.pictures import demo_photo
from bazaar.services.search_index import refresh_statistics
from bazaar.services.vendors import save_profile
from bazaar.text import normalize_search

CHUNK = 5000
# From this many products a seed drops the products' indexes and search-index trigger and
# builds them once after the load (sorting once beats updating them a million times).
BULK_LOAD = 20_000


def _demo_vendor_profile(user, now):
    fields, regions = ids(Field), ids(Region)
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
    categories = ids(Category)
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
        catalogue.add_photo(user, product.id, demo_photo(rng, "food"), now=now)


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
    fields, regions = ids(Field), ids(Region)
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


def _photo_for(rng, top_code, pool):
    if pool is not None and len(pool.setdefault(top_code, [])) >= pool["_size"]:
        return rng.choice(pool[top_code])
    full, thumb, (width, height) = images.process_image(demo_photo(rng, top_code))
    names = images.store_image("products", full, thumb)
    if pool is not None:
        pool[top_code].append((names, width, height))
    return names, width, height


@functools.lru_cache(maxsize=4096)
def _normalised(piece):
    # Folding is per character, so the search text of a product can be joined from its
    # pieces' folded forms; the pieces repeat (a few hundred names, vendors' names).
    return normalize_search(piece)


@contextmanager
def _bulk_load(size):
    """On SQLite, for a big load: no index or search-index upkeep per row; rebuilt after.

    SQLite also keeps more pages in memory meanwhile (256 MB).
    """
    connection = db.session.connection()
    if connection.dialect.name != "sqlite" or size < BULK_LOAD:
        yield
        return
    kept = connection.exec_driver_sql(
        "SELECT type, name, sql FROM sqlite_master WHERE tbl_name IN ('products', "
        "'product_photos') AND type IN ('index', 'trigger') AND sql IS NOT NULL "
        "AND name != 'products_fts_delete' AND name != 'products_fts_update'"
    ).all()
    connection.exec_driver_sql("PRAGMA cache_size = -262144")
    for kind, name, _sql in kept:
        connection.exec_driver_sql(f'DROP {kind.upper()} "{name}"')
    try:
        yield
    finally:
        for _kind, _name, sql in kept:
            connection.exec_driver_sql(sql)
        connection.execute(text("INSERT INTO products_fts(products_fts) VALUES ('rebuild')"))
        connection.exec_driver_sql("PRAGMA cache_size = -2000")


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
    with write_transaction(), _bulk_load(products):
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
            db.session.execute(insert(Vendor.__table__), vendor_rows[start : start + CHUNK])
        vendor_names = {row["id"]: _normalised(row["business_name"]) for row in vendor_rows}
        category_names = {
            c.id: _normalised(f"{c.name_fa} {c.name_en}") for c in categories.values()
        }
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
                    "search_text": (
                        f"{_normalised(name)} {_normalised(description)} "
                        f"{vendor_names[vendor_id]} {category_names[category.id]}"
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
            db.session.execute(insert(Product.__table__), product_rows[start : start + CHUNK])
            db.session.execute(insert(ProductPhoto.__table__), photo_rows[start : start + CHUNK])
        bump_catalogue_version()  # bulk inserts bypass the session's change tracking
        sync_sequences(db.session)  # the rows above came with their ids
    refresh_statistics()
    return len(vendor_rows), len(product_rows)
