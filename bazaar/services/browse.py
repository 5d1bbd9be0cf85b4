"""The public catalogue: listings and searches read as card rows, a product page, favourites.

A listing reads exactly what a product card shows (a row, not ORM entities), and the database
does the least work for it:
- the page's ids are chosen first (LIMIT/OFFSET over ids, filters evaluated inside the covering
  indexes of the orders the pages sort by), then only those rows are joined to their vendor;
- counts stop at paging.MAX_RESULTS + 1, and are planned without the page's order, so the most
  selective index counts them;
- a broad search term with a filter or a price sort is applied to the newest
  search.SEARCH_WINDOW matches only (the page says so).
"""

from dataclasses import astuple, dataclass

from sqlalchemy.orm import joinedload, selectinload

from bazaar.errors import NotFound
from bazaar.extensions import db
from bazaar.models import Favourite, Product, ProductPhoto, Vendor, VendorStatus
from bazaar.services import search
from bazaar.services.counts import kept_count
from bazaar.services.paging import MAX_RESULTS, CappedPage
from bazaar.services.reference import category_tree

SORTS = ("relevance", "newest", "price_asc", "price_desc")
PRICE_CLUSTERING = 4


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


def card_columns():
    """What a product card shows (templates/catalogue/_card.html), and its version."""
    thumbnail = (
        db.select(ProductPhoto.thumbnail)
        .where(ProductPhoto.product_id == Product.id)
        .order_by(ProductPhoto.position)
        .limit(1)
        .scalar_subquery()
    )
    return (
        Product.id,
        Product.name,
        Product.price_toman,
        Product.unit,
        Product.updated_at,
        Vendor.id.label("vendor_id"),
        Vendor.business_name.label("vendor_name"),
        Vendor.county_id,
        thumbnail.label("thumbnail"),
    )


def card_rows(ids_query, *order):
    """Card rows for the products whose ids `ids_query` (a subquery with an `id`) selects.

    The vendors are joined without the staged-import condition (models/imports.py): a listed
    product's vendor is never staged (an import stages vendors, not products), and with it
    SQLite built a Bloom filter over every vendor for a page of twenty (22 ms at a million)."""
    return (
        db.select(*card_columns())
        .join(ids_query, ids_query.c.id == Product.id)
        .join(Vendor, Vendor.id == Product.vendor_id)
        .order_by(*order)
        .execution_options(include_staged=True)
    )


def _category_ids(category_id):
    """The category and its children's ids (a filter on a parent shows all of it), from the
    category tree each process keeps per catalogue version."""
    for (top_id, _name), children in category_tree("fa"):
        if top_id == category_id:
            return [top_id, *(child_id for child_id, _name in children)]
    return [category_id]


def _conditions(filters, vendor_ids, *, walking=False, index_first=False, category_leads=False):
    """The filters' conditions on products (the price range apart: _price_range).

    A vendor's county or field is checked per product (`walking`: one vendor lookup each) when
    the database walks products in the page's order and stops at the page, or reads a search's
    few thousand matches at most; otherwise it is checked against the list of that county's
    vendors (see _vendor_plan), which with `category_leads` may not lead the plan.
    With `index_first` (the search index is walked) no condition may lead the plan: `+ 0`
    keeps the database from reading a category or a vendor's products by their index."""
    category = Product.category_id + 0 if index_first else Product.category_id
    vendor = Product.vendor_id + 0 if index_first else Product.vendor_id
    conditions = [Product.listed]
    if filters.field_id or filters.county_id:
        vendors = db.select(Vendor.id)
        if filters.field_id:
            vendors = vendors.where(Vendor.field_id == filters.field_id)
        if filters.county_id:
            vendors = vendors.where(Vendor.county_id == filters.county_id)
        if walking:
            conditions.append(vendors.where(Vendor.id == Product.vendor_id).exists())
        elif category_leads:
            conditions.append((Product.vendor_id + 0).in_(vendors))
        else:
            conditions.append(Product.vendor_id.in_(vendors))
    if vendor_ids is not None:
        conditions.append(vendor.in_(vendor_ids))
    if filters.category_id:
        conditions.append(category.in_(_category_ids(filters.category_id)))
    if filters.vendor_id:
        conditions.append(vendor == filters.vendor_id)
    if filters.availability:
        conditions.append(Product.availability == filters.availability)
    return conditions


def _vendor_plan(filters, needed):
    """How a page filtered by a vendor's county or field is best read: (walk, category_leads).

    walk: walking products in the page's order and checking each one's vendor, which stops
    after `needed` matches, having read about needed / share of them (share: how many of the
    products pass the filters); otherwise the products are read through the list of the
    county's or field's vendors, every product of theirs, and sorted. category_leads: reading
    that way, the category's index is the narrower way in, so the vendor list must not lead.

    The database cannot choose (it assumes every county has as many vendors as the next, when
    one may hold most of them), so the choice is made here, from the share of vendors in the
    county or field (counted once per catalogue version) and the other filters' rough shares.
    """
    by_county, by_field, products = kept_count(("vendors by county and field",), _vendor_counts)
    share = 1.0  # a field's share taken as the same in every county
    if filters.county_id:
        share *= by_county.get(filters.county_id, 0) / max(sum(by_county.values()), 1)
    if filters.field_id:
        share *= by_field.get(filters.field_id, 0) / max(sum(by_field.values()), 1)
    category_share = 1.0
    if filters.category_id:
        every = sum(1 + len(children) for _top, children in category_tree("fa"))
        category_share = len(_category_ids(filters.category_id)) / max(every, 1)
    passing = share * category_share * (1 / 3 if filters.availability else 1)
    if filters.sort.startswith("price"):
        # Prices cluster by field (food is cheaper than carpets), so a walk in price order
        # meets a field's or county's products unevenly: count it dearer.
        needed *= PRICE_CLUSTERING
    walk = needed / max(passing, 1e-9) < min(share, category_share) * products
    return walk, category_share < share


def _vendor_counts():
    """({county id: verified vendors}, {field id: vendors}, roughly how many products).

    Each count is read from an index alone (status and county; field; the products' primary
    key); the staged-import condition would make the database read every vendor row instead,
    and an estimate does not need it."""
    verified = Vendor.status == VendorStatus.VERIFIED.value
    by_county = db.select(Vendor.county_id, db.func.count()).where(verified)
    by_field = db.select(Vendor.field_id, db.func.count())
    options = {"include_staged": True}
    query = by_county.group_by(Vendor.county_id).execution_options(**options)
    counties = dict(db.session.execute(query).all())
    query = by_field.group_by(Vendor.field_id).execution_options(**options)
    fields = dict(db.session.execute(query).all())
    products = db.session.scalar(db.select(db.func.max(Product.id))) or 0
    return counties, fields, products


def _price_range(filters, price):
    conditions = []
    if filters.price_min is not None:
        conditions.append(price >= filters.price_min)
    if filters.price_max is not None:
        conditions.append(price <= filters.price_max)
    return conditions


def browse_products(filters, page, per_page, vendor_ids=None):
    """Return (page of card rows, search terms) for the catalogue's filters and sort.

    `vendor_ids`, a subquery, narrows the products to those vendors (a bazaar's catalogue).
    Counts stop at paging.MAX_RESULTS; deeper pages are not served."""
    terms = search.query_terms(filters.q)
    matches = rank = total = None
    windowed = walked = False
    narrowed = filters.narrowed() or vendor_ids is not None
    if terms:
        limited = narrowed or filters.sort.startswith("price")
        matches, ranked, found = search.product_matches(
            terms,
            ranked=filters.sort == "relevance",
            window=limited,
            walk=not filters.sort.startswith("price"),
        )
        windowed = limited and found > search.SEARCH_WINDOW
        walked = windowed and not ranked and not filters.sort.startswith("price")
        if found > MAX_RESULTS and not narrowed:
            total = found  # "more than 1,000", from the search index alone
        rank = matches.c.rank if ranked else None
    by_price = filters.sort.startswith("price")
    ids = db.select(Product.id)
    counted = db.select(Product.id)
    if matches is not None:
        ids = ids.join(matches, matches.c.id == Product.id)
        counted = counted.join(matches, matches.c.id == Product.id)
    # Unless sorting by price, `price + 0` keeps the database walking products in the page's
    # order (stopping at the page, the price read from that order's covering index) instead of
    # reading a price range whole and sorting it. The count has no order: the price index
    # serves it.
    price = Product.price_toman if by_price else Product.price_toman + 0
    # A search's products are at most SEARCH_WINDOW matches: checking each one's vendor is
    # bounded, and cheaper than listing a large county's vendors. A listing chooses.
    walk, category_leads = True, False
    if (filters.field_id or filters.county_id) and matches is None:
        walk, category_leads = _vendor_plan(filters, page * per_page)
    plan = {"index_first": walked, "category_leads": category_leads}
    if category_leads:  # the category's index is the way in: a price range must not lead
        price = counted_price = Product.price_toman + 0
    else:
        counted_price = Product.price_toman
    ids = ids.where(*_conditions(filters, vendor_ids, walking=walk, **plan))
    ids = ids.where(*_price_range(filters, price))
    conditions = _conditions(filters, vendor_ids, walking=matches is not None, **plan)
    counted = counted.where(*conditions, *_price_range(filters, counted_price))
    keys = _sort_keys(filters.sort, rank, matches)
    chosen = ids.add_columns(*(key.label(f"k{n}") for n, (key, _desc) in enumerate(keys)))
    chosen = chosen.order_by(*(key.desc() if desc else key for key, desc in keys))

    def rows(limit, offset):
        # LIMIT written into the statement: bound as a parameter, SQLite plans for an unknown
        # number of rows and prefers any index in the page's order, however few of its rows
        # pass the filters (a category in price order: 160 ms instead of 8). The OFFSET stays
        # a parameter: one statement for every page, not one compiled and kept per page.
        page_ids = chosen.limit(_inline(limit)).offset(offset).subquery("page")
        order = [
            page_ids.c[f"k{n}"].desc() if desc else page_ids.c[f"k{n}"]
            for n, (_key, desc) in enumerate(keys)
        ]
        return card_rows(page_ids, *order)

    # A bazaar's catalogue (vendor_ids) is counted afresh: its vendors change with its stalls.
    count_key = astuple(filters) if vendor_ids is None else None
    result = CappedPage(rows, counted, page, per_page, total=total, count_key=count_key)
    result.windowed = windowed
    result.window = search.SEARCH_WINDOW
    return result, terms


def _inline(number):
    return db.literal_column(str(int(number)))


def _sort_keys(sort, rank, matches):
    """(expression, descending) pairs the page is ordered by, the last one unique."""
    if sort == "price_asc":
        return [(Product.price_toman, False), (Product.id, False)]
    if sort == "price_desc":
        return [(Product.price_toman, True), (Product.id, True)]
    if rank is not None:
        return [(rank, False), (Product.id, True)]
    if matches is not None:
        # Newest first in the search index's own row order (ids grow as products are added):
        # the database reads matches newest first and stops at the page, sorting nothing.
        return [(matches.c.id, True)]
    return [(Product.created_at, True), (Product.id, True)]


def search_vendors(q, limit=5):
    """Return verified vendors matching the query, best first.

    The rule for broad terms is the products' (search.product_matches): a term matching more
    than search.RANKED_MATCHES vendors («خانگی» is in most descriptions) is not scored, and the
    newest matching vendors come first, read from the index in its own order."""
    terms = search.query_terms(q)
    if not terms:
        return []
    ranked = search.count_matches("vendors", terms, search.RANKED_MATCHES) <= search.RANKED_MATCHES
    matches = search.match_ids("vendors", terms, ranked=ranked).subquery()
    query = (
        db.select(Vendor.id, Vendor.business_name)
        .join(matches, matches.c.id == Vendor.id)
        .where(Vendor.status == VendorStatus.VERIFIED.value)
        .order_by(matches.c.rank if ranked else matches.c.id.desc())
        .limit(limit)
    )
    return db.session.execute(query).all()


def find_vendors(q, limit=5):
    """Return the verified vendors matching the query as records, best first (for the API)."""
    ids = [row.id for row in search_vendors(q, limit=limit)]
    if not ids:
        return []
    query = (
        db.select(Vendor)
        .where(Vendor.id.in_(ids))
        .options(joinedload(Vendor.county), joinedload(Vendor.field))
    )
    by_id = {vendor.id: vendor for vendor in db.session.scalars(query)}
    return [by_id[vendor_id] for vendor_id in ids]


def get_public_product(product_id):
    """Return a product of a verified vendor, or raise NotFound."""
    query = (
        db.select(Product)
        .where(Product.listed, Product.id == product_id)
        .options(
            joinedload(Product.vendor).joinedload(Vendor.county),
            joinedload(Product.vendor).joinedload(Vendor.field),
            joinedload(Product.category),
            selectinload(Product.photos),
        )
    )
    product = db.session.scalar(query)
    if product is None:
        raise NotFound("product.not_found")
    return product


def list_favourites(user):
    """Return card rows of the user's saved products still public, latest saved first."""
    saved = (
        db.select(Product.id, Favourite.created_at.label("saved_at"))
        .join(Favourite, Favourite.product_id == Product.id)
        .where(Favourite.user_id == user.id, Product.listed)
        .subquery("saved")
    )
    return db.session.execute(card_rows(saved, saved.c.saved_at.desc())).all()
