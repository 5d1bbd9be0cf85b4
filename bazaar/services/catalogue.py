"""The catalogue: vendors' products and photos, browsing and search, favourites and follows."""

from dataclasses import dataclass

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
from bazaar.services import images
from bazaar.services.audit import record_audit
from bazaar.services.browse import (  # noqa: F401 (the catalogue's public face, re-exported)
    SORTS,
    Filters,
    browse_products,
    find_vendors,
    get_public_product,
    list_favourites,
    search_vendors,
)
from bazaar.services.listed import relist_products
from bazaar.services.notifications import notify_address, notify_user
from bazaar.services.vendors import find_vendor_for_user, get_public_vendor, product_search_text

MAX_PHOTOS = 5


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
