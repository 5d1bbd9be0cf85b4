"""The catalogue: vendors' products and photos, browsing and search, favourites and follows."""

from dataclasses import dataclass

from sqlalchemy.orm import joinedload, selectinload

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import (
    Availability,
    Category,
    Favourite,
    Follow,
    Product,
    ProductPhoto,
    Vendor,
    VendorStatus,
)
from bazaar.services import images, search
from bazaar.services.audit import record_audit
from bazaar.services.listed import relist_products
from bazaar.services.notifications import notify_address, notify_user
from bazaar.services.paging import MAX_RESULTS, CappedPage
from bazaar.services.reference import category_ids_under
from bazaar.services.vendors import find_vendor_for_user, get_public_vendor, product_search_text

MAX_PHOTOS = 5
SORTS = ("relevance", "newest", "price_asc", "price_desc")


# --- a vendor's own products -------------------------------------------------------------


@dataclass
class ProductData:
    """What a vendor says about a product (from the form, the demo, or the API)."""

    name: str
    category_id: int
    price_toman: int
    unit: str
    description: str = ""
    availability: str = Availability.IN_STOCK.value


def clean_product(data):
    """Check a product's values; return them cleaned or raise Invalid naming the field."""
    name = (data.name or "").strip()
    if not name:
        raise Invalid("product.name_required", field="name")
    category = db.session.get(Category, data.category_id or 0)
    if category is None:
        raise Invalid("product.bad_category", field="category_id")
    price = data.price_toman
    if not isinstance(price, int) or isinstance(price, bool) or price < 0 or price > 10**12:
        raise Invalid("product.bad_price", field="price_toman")
    unit = (data.unit or "").strip()
    if not unit:
        raise Invalid("product.unit_required", field="unit")
    availability = data.availability or Availability.IN_STOCK.value
    if availability not in Availability.__members__.values():
        raise Invalid("product.bad_availability", field="availability")
    return {
        "name": name[:160],
        "description": (data.description or "").strip(),
        "category_id": category.id,
        "price_toman": price,
        "unit": unit[:40],
        "availability": availability,
    }


def get_own_product(user, product_id):
    """Return one of the user's products; any other product is NotFound."""
    product = db.session.get(Product, product_id)
    if product is None or product.vendor.user_id != user.id:
        raise NotFound("product.not_found")
    return product


def save_product(user, product_id, data, *, now):
    """Create (product_id None) or update one of the vendor's products."""
    clean = clean_product(data)
    with write_transaction():
        vendor = find_vendor_for_user(user)
        if vendor is None:
            raise Conflict("product.no_vendor_profile")
        if product_id is None:
            product = Product(vendor_id=vendor.id, created_at=now)
            db.session.add(product)
        else:
            product = get_own_product(user, product_id)
        for key, value in clean.items():
            setattr(product, key, value)
        product.updated_at = now
        product.category = db.session.get(Category, clean["category_id"])
        product.search_text = product_search_text(product, vendor)
        relist_products([vendor.id])
        record_audit(
            "product.create" if product_id is None else "product.update",
            product,
            actor=user,
            now=now,
        )
    return product


def delete_product(user, product_id, *, now):
    """Delete one of the vendor's products with its photos, favourites and files."""
    with write_transaction():
        product = get_own_product(user, product_id)
        files = [name for photo in product.photos for name in (photo.filename, photo.thumbnail)]
        db.session.execute(db.delete(Favourite).where(Favourite.product_id == product.id))
        record_audit("product.delete", product, actor=user, now=now, name=product.name)
        db.session.delete(product)
    _delete_unused_files(files)


def _delete_unused_files(names):
    # Demo data at scale shares photo files between products: keep files still in use.
    used = set(
        db.session.scalars(db.select(ProductPhoto.filename).where(ProductPhoto.filename.in_(names)))
    ) | set(
        db.session.scalars(
            db.select(ProductPhoto.thumbnail).where(ProductPhoto.thumbnail.in_(names))
        )
    )
    images.delete_image("products", *(name for name in names if name not in used))


def add_photo(user, product_id, data, *, now):
    """Check, re-encode and attach a photo as the product's last; at most five."""
    product = get_own_product(user, product_id)
    if len(product.photos) >= MAX_PHOTOS:
        raise Conflict("image.too_many_photos")
    full, thumb, (width, height) = images.process_image(data)
    names = images.store_image("products", full, thumb)
    try:
        with write_transaction():
            product = get_own_product(user, product_id)
            if len(product.photos) >= MAX_PHOTOS:
                raise Conflict("image.too_many_photos")
            position = max((p.position for p in product.photos), default=-1) + 1
            photo = ProductPhoto(
                product=product,
                position=position,
                filename=names[0],
                thumbnail=names[1],
                width=width,
                height=height,
            )
            db.session.add(photo)
            record_audit("product.photo_add", product, actor=user, now=now, photo=names[0])
    except Exception:
        images.delete_image("products", *names)
        raise
    return photo


def _own_photo(user, product_id, photo_id):
    product = get_own_product(user, product_id)
    photo = next((p for p in product.photos if p.id == photo_id), None)
    if photo is None:
        raise NotFound("product.not_found")
    return product, photo


def delete_photo(user, product_id, photo_id, *, now):
    """Remove one photo of the vendor's product."""
    with write_transaction():
        product, photo = _own_photo(user, product_id, photo_id)
        names = (photo.filename, photo.thumbnail)
        product.photos.remove(photo)
        db.session.flush()
        for position, remaining in enumerate(product.photos):
            remaining.position = position
        record_audit("product.photo_delete", product, actor=user, now=now, photo=names[0])
    _delete_unused_files(list(names))


def move_photo(user, product_id, photo_id, offset, *, now):
    """Move a photo earlier (-1) or later (+1) in the product's order."""
    with write_transaction():
        product, photo = _own_photo(user, product_id, photo_id)
        order = list(product.photos)
        index = order.index(photo)
        target = min(max(index + offset, 0), len(order) - 1)
        order.insert(target, order.pop(index))
        # Park every photo on a free position first: (product, position) is unique.
        for position, item in enumerate(order):
            item.position = 1000 + position
        db.session.flush()
        for position, item in enumerate(order):
            item.position = position
        record_audit(
            "product.photo_move", product, actor=user, now=now, photo=photo.filename, to=target
        )


def list_own_products(user):
    """Return the user's own products, newest first (any vendor status)."""
    vendor = find_vendor_for_user(user)
    if vendor is None:
        return []
    return db.session.scalars(
        db.select(Product).where(Product.vendor_id == vendor.id).order_by(Product.id.desc())
    ).all()


# --- the public catalogue ----------------------------------------------------------------


@dataclass
class Filters:
    """What a catalogue listing is narrowed and sorted by, as read from the query string."""

    q: str = ""
    category_id: int | None = None
    field_id: int | None = None
    county_id: int | None = None
    vendor_id: int | None = None
    price_min: int | None = None
    price_max: int | None = None
    availability: str | None = None
    sort: str = "relevance"

    def narrowed(self):
        """Tell whether anything but the search terms narrows the products."""
        values = (self.category_id, self.field_id, self.county_id, self.vendor_id, self.price_min)
        return any(v is not None for v in (*values, self.price_max, self.availability))


def public_products():
    """Return a query of listed products (their vendor is verified), with what a card shows."""
    return (
        db.select(Product)
        .where(Product.listed)
        .options(
            joinedload(Product.vendor).joinedload(Vendor.county),
            selectinload(Product.photos),
        )
    )


def browse_products(filters, page, per_page, vendor_ids=None):
    """Return (page of products, search terms) for the catalogue's filters and sort.

    `vendor_ids`, a subquery, narrows the products to those vendors (a bazaar's catalogue).
    Counts stop at paging.MAX_RESULTS; deeper pages are not served."""
    query = public_products()
    if filters.field_id or filters.county_id:
        vendors = db.select(Vendor.id)
        if filters.field_id:
            vendors = vendors.where(Vendor.field_id == filters.field_id)
        if filters.county_id:
            vendors = vendors.where(Vendor.county_id == filters.county_id)
        query = query.where(Product.vendor_id.in_(vendors))
    if vendor_ids is not None:
        query = query.where(Product.vendor_id.in_(vendor_ids))
    terms = search.query_terms(filters.q)
    rank = total = None
    if terms:
        matches, ranked, found = search.product_matches(terms, ranked=filters.sort == "relevance")
        if found > MAX_RESULTS and not filters.narrowed() and vendor_ids is None:
            total = found  # "more than 1,000", from the search index alone
        query = query.join(matches, matches.c.id == Product.id)
        rank = matches.c.rank if ranked else None
    if filters.category_id:
        query = query.where(Product.category_id.in_(category_ids_under(filters.category_id)))
    if filters.vendor_id:
        query = query.where(Product.vendor_id == filters.vendor_id)
    # Unless sorting by price, `price + 0` keeps the database walking products in the page's
    # order (stopping at the page) instead of reading a price range whole and sorting it.
    price = Product.price_toman if filters.sort.startswith("price") else Product.price_toman + 0
    if filters.price_min is not None:
        query = query.where(price >= filters.price_min)
    if filters.price_max is not None:
        query = query.where(price <= filters.price_max)
    if filters.availability:
        query = query.where(Product.availability == filters.availability)
    if terms and rank is None and filters.sort in ("relevance", "newest"):
        # Newest first in the search index's own row order (ids grow as products are added):
        # the database reads matches newest first and stops at the page, sorting nothing.
        query = query.order_by(matches.c.id.desc())
    else:
        query = query.order_by(*_ordering(filters.sort, rank))
    return CappedPage(query, page, per_page, total=total), terms


def _ordering(sort, rank):
    if sort == "price_asc":
        return (Product.price_toman, Product.id)
    if sort == "price_desc":
        return (Product.price_toman.desc(), Product.id.desc())
    if sort == "relevance" and rank is not None:
        return (rank, Product.id.desc())
    return (Product.created_at.desc(), Product.id.desc())


def search_vendors(q, limit=5):
    """Return verified vendors matching the query, best first."""
    terms = search.query_terms(q)
    if not terms:
        return []
    matches = search.match_ids("vendors", terms).subquery()
    query = (
        db.select(Vendor)
        .join(matches, matches.c.id == Vendor.id)
        .where(Vendor.status == VendorStatus.VERIFIED.value)
        .order_by(matches.c.rank)
        .limit(limit)
    )
    return db.session.scalars(query).all()


def get_public_product(product_id):
    """Return a product of a verified vendor, or raise NotFound."""
    query = public_products().where(Product.id == product_id)
    product = db.session.scalar(query)
    if product is None:
        raise NotFound("product.not_found")
    return product


# --- citizens: favourites, follows, inquiries --------------------------------------------


def toggle_favourite(user, product_id, *, now):
    """Save a product to the user's favourites, or remove it; return True if now saved."""
    with write_transaction():
        get_public_product(product_id)
        existing = db.session.get(Favourite, (user.id, product_id))
        if existing is not None:
            db.session.delete(existing)
            return False
        db.session.add(Favourite(user_id=user.id, product_id=product_id, created_at=now))
        return True


def toggle_follow(user, vendor_id, *, now):
    """Follow a vendor, or stop following; return True if now following."""
    with write_transaction():
        get_public_vendor(vendor_id)
        existing = db.session.get(Follow, (user.id, vendor_id))
        if existing is not None:
            db.session.delete(existing)
            return False
        db.session.add(Follow(user_id=user.id, vendor_id=vendor_id, created_at=now))
        return True


def list_favourites(user):
    """Return the user's saved products that are still public, latest saved first."""
    query = (
        public_products()
        .join(Favourite, Favourite.product_id == Product.id)
        .where(Favourite.user_id == user.id)
    )
    return db.session.scalars(query.order_by(Favourite.created_at.desc())).all()


def list_followed(user):
    """Return the verified vendors the user follows, latest followed first."""
    query = (
        db.select(Vendor)
        .join(Follow, Follow.vendor_id == Vendor.id)
        .where(Follow.user_id == user.id, Vendor.status == VendorStatus.VERIFIED.value)
    )
    return db.session.scalars(query.order_by(Follow.created_at.desc())).all()


def is_favourite(user, product_id):
    """Tell whether a signed-in user saved the product."""
    return user.is_authenticated and db.session.get(Favourite, (user.id, product_id)) is not None


def is_following(user, vendor_id):
    """Tell whether a signed-in user follows the vendor."""
    return user.is_authenticated and db.session.get(Follow, (user.id, vendor_id)) is not None


def send_inquiry(vendor_id, *, sender, contact, text, subject, now, actor=None):
    """Pass a citizen's question to the vendor through the outbox and their notifications."""
    sender, contact, text = (sender or "").strip(), (contact or "").strip(), (text or "").strip()
    if not sender or not contact or not text:
        raise Invalid("inquiry.empty", field="text")
    with write_transaction():
        vendor = get_public_vendor(vendor_id)
        params = {
            "sender": sender[:120],
            "contact": contact[:120],
            "text": text[:2000],
            "subject": subject[:120],
        }
        if vendor.user is not None:
            notify_user(vendor.user, "inquiry", now=now, **params)
        else:
            notify_address("sms", vendor.mobile, "inquiry", now=now, **params)
        record_audit("vendor.inquiry", vendor, actor=actor, now=now)
