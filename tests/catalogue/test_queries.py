"""How much the catalogue asks of the database: no per-row queries, the search index first."""

from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event

from bazaar.extensions import cache, db
from bazaar.models import Category, Product
from bazaar.services import catalogue, search, search_index
from bazaar.services.catalogue import Filters
from bazaar.services.counts import forget_counts
from tests.conftest import reference_ids


@contextmanager
def statements():
    """Collect the SQL statements (with their parameters) run inside the block."""
    seen = []

    def record(_conn, _cursor, statement, parameters, _context, _many):
        seen.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def cold():
    """Empty the page and card cache and the kept counts."""
    cache.clear()
    forget_counts()


def fill(make_vendor, make_product, count):
    for n in range(count):
        make_product(make_vendor(), name=f"ترشی {n}", description="سیر و لیته")


def page_statements(client, url):
    cold()  # every request is cold: the figures must not rest on the page cache
    client.get(url)  # warm what the app keeps per process (reference lists, the version)
    cold()
    # The version is read again at most once a second: always count that read, so a slow
    # machine does not change the figure.
    client.application.extensions["catalogue_version"]["version"] = None
    with statements() as seen:
        assert client.get(url).status_code == 200
    return len(seen)


# What each page needs, cold (the page and card caches empty), counted with BEGIN: the
# catalogue version (read at most once a second), the page's card rows (one query: ids chosen
# first, then joined to their vendor, the first photo in a subquery), the capped count (only
# when the page is full); for a search the match count from the search index and the matching
# vendors; for a product page the product with its vendor, county, field and category (one
# query) and its photos; for a vendor page the vendor, its field and county. A page filtered
# by county or field also counts the vendors by field and county, once per catalogue version,
# to choose how to read its products (browse._vendor_plan).
BUDGET = {"listing": 4, "search": 6, "search in a county": 7, "product": 4, "vendor": 6}


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("listing", "/catalogue/?sort=newest"),
        ("listing", "/catalogue/?category={category}&price_min=1&sort=price_desc"),
        ("search", "/catalogue/?q=ترشی"),
        ("search in a county", "/catalogue/?q=ترشی&category={category}&county={county}"),
        ("product", "/catalogue/products/{id}"),
        ("vendor", "/catalogue/vendors/{vendor}"),
    ],
)
def test_pages_run_a_fixed_number_of_queries(app, client, make_vendor, make_product, kind, url):
    app.config["ITEMS_PER_PAGE"] = 20
    fill(make_vendor, make_product, 2)
    first = db.session.get(catalogue.Product, db.session.scalar(db.select(db.func.min(Product.id))))
    values = {
        "id": first.id,
        "vendor": first.vendor_id,
        "category": first.category_id,
        "county": first.vendor.county_id,
    }
    few = page_statements(client, url.format(**values))
    fill(make_vendor, make_product, 12)  # still one page: the same statements, more rows
    many = page_statements(client, url.format(**values))
    assert many == few, "a query runs once per product or vendor shown"
    assert many <= BUDGET[kind]


def test_cards_come_from_the_cache_until_what_they_show_changes(
    app, client, make_vendor, make_product
):
    product = make_product(make_vendor(), name="ترشی لیته")
    cache.clear()
    client.get("/catalogue/?sort=newest")
    page = client.get("/catalogue/?sort=newest&availability=in_stock").get_data(as_text=True)
    assert "ترشی لیته" in page
    keys = [key for key in cache.cache._cache if key.startswith("card:")]  # MemoryCache
    assert len(keys) == 1, keys  # the second page reused the first page's card
    search = client.get("/catalogue/?q=لیته").get_data(as_text=True)
    assert "ترشی <mark>لیته</mark>" in search  # the same fragment, the terms highlighted
    assert len([key for key in cache.cache._cache if key.startswith("card:")]) == 1
    save_product(product.vendor.user, product.id, "ترشی بادمجان")
    page = client.get("/catalogue/?sort=newest&price_min=0").get_data(as_text=True)
    assert "ترشی بادمجان" in page
    assert "ترشی لیته" not in page


def test_a_filtered_listing_chooses_its_page_inside_an_index(app, make_vendor, make_product):
    """The page's ids are read from a covering index: products skipped on the way (a sparse
    filter, a deep page) are never read from the table."""
    if search.is_postgres():
        pytest.skip("SQLite's plan; PostgreSQL's is checked for the search")
    vendor = make_vendor()
    for n in range(30):
        make_product(vendor, name=f"ترشی {n}", category="pickles")
    search_index.refresh_statistics()
    pretend_a_million_products()
    filters = Filters(price_min=10, price_max=10**6, availability="in_stock")
    with statements() as seen:
        page, _terms = catalogue.browse_products(filters, 2, 10)
    assert len(page.items) == 10
    statement, parameters = next(s for s in seen if "OFFSET" in s[0] and "count(*)" not in s[0])
    steps = [
        row[3]
        for row in db.session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, parameters
        )
        if row[3].startswith(("SCAN", "SEARCH"))
    ]
    assert "COVERING INDEX ix_products_listed_created" in steps[0], steps
    assert "TEMP B-TREE" not in " ".join(steps[:2]), steps


def pretend_a_million_products():
    """Make SQLite plan as for a million products in 40 categories (what misled it in issue 12).

    SQLite reads its statistics from sqlite_stat1; `ANALYZE sqlite_schema` reloads them.
    """
    connection = db.session.connection()
    connection.exec_driver_sql("DELETE FROM sqlite_stat1 WHERE tbl = 'products'")
    for index, stat in [
        ("ix_products_listed_category", "1000000 500000 25000 1 1"),
        ("ix_products_category", "1000000 25000 1"),
        ("ix_products_listed_created", "1000000 500000 1 1"),
        ("ix_products_listed_price", "1000000 500000 100 1"),
        ("ix_products_vendor", "1000000 10 1"),
        (None, "1000000"),
    ]:
        connection.exec_driver_sql(
            "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('products', ?, ?)", (index, stat)
        )
    connection.exec_driver_sql("ANALYZE sqlite_schema")


def save_product(user, product_id, name):
    product = db.session.get(Product, product_id)
    data = catalogue.ProductData(
        name=name,
        category_id=product.category_id,
        price_toman=product.price_toman,
        unit=product.unit,
    )
    catalogue.save_product(user, product_id, data, now=product.updated_at + timedelta(minutes=1))


def test_a_filtered_search_reads_the_search_index_first(app, make_vendor, make_product):
    vendor = make_vendor()
    for n in range(40):
        name = "سوهان گردویی" if n % 10 == 0 else f"ترشی {n}"
        make_product(vendor, name=name, category="pickles")
    search_index.refresh_statistics()
    if not search.is_postgres():
        pretend_a_million_products()
    pickles = reference_ids(Category)["pickles"]
    with statements() as seen:
        page, _terms = catalogue.browse_products(Filters(q="سوهان", category_id=pickles), 1, 20)
    assert len(page.items) == 4
    statement, parameters = next(s for s in seen if "WITH matches" in s[0] and "OFFSET" in s[0])
    connection = db.session.connection()
    if search.is_postgres():
        plan = "\n".join(
            row[0] for row in connection.exec_driver_sql("EXPLAIN " + statement, parameters)
        )
        assert "CTE matches" in plan
        # The category index may only be probed per match (keyed by the match's id), never
        # scanned for the whole category with the search index probed per product.
        by_category = [
            line for line in plan.splitlines() if "Index Cond" in line and "category_id" in line
        ]
        assert all("matches.id" in line for line in by_category), plan
        return
    steps = [
        row[3]
        for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
        if row[3].startswith(("SCAN", "SEARCH"))
    ]
    assert "products_fts" in steps[0], steps
    by_id = "SEARCH products USING INTEGER PRIMARY KEY"
    assert any(step.startswith(by_id) for step in steps), steps
    assert not any("ix_products_listed_category" in s or "ix_products_category" in s for s in steps)


def test_a_listings_count_is_kept_until_the_catalogue_changes(app, make_vendor, make_product):
    vendor = make_vendor()
    for n in range(25):
        make_product(vendor, name=f"ترشی {n}")
    cold()
    first, _ = catalogue.browse_products(Filters(sort="newest"), 1, 10)
    assert first.total == 25
    with statements() as seen:
        second, _ = catalogue.browse_products(Filters(sort="newest"), 2, 10)
    assert second.total == 25
    assert not any("count(*)" in statement for statement, _ in seen), seen
    make_product(vendor, name="ترشی تازه")  # bumps the catalogue version
    with statements() as seen:
        third, _ = catalogue.browse_products(Filters(sort="newest"), 2, 10)
    assert third.total == 26
    assert any("count(*)" in statement for statement, _ in seen)


def test_a_broad_filtered_search_walks_the_index_newest_first_within_its_window(
    app, make_vendor, make_product, monkeypatch
):
    """A common word with a filter: the page is the newest matching products of the filter
    among the term's SEARCH_WINDOW newest matches, read walking the search index."""
    monkeypatch.setattr(search, "RANKED_MATCHES", 2)
    monkeypatch.setattr(search, "SEARCH_WINDOW", 6)
    vendor = make_vendor()
    made = []
    for n in range(10):
        category = "pickles" if n % 2 else "sweets"
        made.append(make_product(vendor, name=f"ترشی خانگی {n}", category=category))
    search_index.refresh_statistics()
    if not search.is_postgres():
        pretend_a_million_products()
    pickles = reference_ids(Category)["pickles"]
    cache.clear()
    with statements() as seen:
        page, _terms = catalogue.browse_products(Filters(q="خانگی", category_id=pickles), 1, 20)
    # The window is the 6 newest matches (4–9); of those, the pickles (odd ones), newest first.
    assert [row.name for row in page.items] == ["ترشی خانگی 9", "ترشی خانگی 7", "ترشی خانگی 5"]
    assert page.total == 3
    assert page.windowed
    if search.is_postgres():
        return
    statement, parameters = next(s for s in seen if "WITH matches" in s[0] and "OFFSET" in s[0])
    steps = [
        row[3]
        for row in db.session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, parameters
        )
        if row[3].startswith(("SCAN", "SEARCH", "USE"))
    ]
    assert "products_fts" in steps[0], steps
    page_ids = steps[: steps.index("SCAN page")]  # the 20 ids, before they are joined
    assert not any("TEMP B-TREE" in step for step in page_ids), steps  # stops at the page
    assert not any("ix_products_listed_category" in s or "ix_products_category" in s for s in steps)


def test_a_county_with_most_vendors_is_walked_and_a_small_one_read_through_its_vendors(
    app, make_vendor, make_product
):
    """Counties are uneven (Qom city holds most vendors): a page in a big county walks the
    products in its order checking each vendor, one in a small county reads the few vendors'
    products; the page is the same either way."""
    from bazaar.models import Region

    big = [make_vendor(county="qom") for _ in range(9)]
    small = make_vendor(county="kahak")
    for n, vendor in enumerate([*big, small] * 3):
        make_product(vendor, name=f"ترشی {n}", price_toman=1000 + n)
    counties = reference_ids(Region)
    cache.clear()
    for county, vendors in (("qom", big), ("kahak", [small])):
        filters = Filters(county_id=counties[county], sort="newest")
        with statements() as seen:
            page, _terms = catalogue.browse_products(filters, 1, 5)
        expected = db.session.scalars(
            db.select(Product.name)
            .where(Product.vendor_id.in_([v.id for v in vendors]))
            .order_by(Product.created_at.desc(), Product.id.desc())
            .limit(5)
        ).all()
        assert [row.name for row in page.items] == expected
        rows = next(s for s, _p in seen if "OFFSET" in s and "count(*)" not in s)
        walked = "EXISTS (SELECT vendors.id" in rows
        assert walked == (county == "qom"), rows


def test_a_pages_cards_join_their_vendors_by_id_only(app, make_vendor, make_product):
    """Twenty cards look up twenty vendors by id: no condition on vendors that would make
    SQLite first scan them all into a Bloom filter (the staged-import one did: 22 ms a page
    at a million products)."""
    if search.is_postgres():
        pytest.skip("SQLite's plan")
    vendor = make_vendor()
    for n in range(30):
        make_product(vendor, name=f"ترشی {n}")
    search_index.refresh_statistics()
    pretend_a_million_products()
    connection = db.session.connection()
    connection.exec_driver_sql("DELETE FROM sqlite_stat1 WHERE tbl = 'vendors'")
    connection.exec_driver_sql(
        "INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES ('vendors', NULL, '100000')"
    )
    connection.exec_driver_sql("ANALYZE sqlite_schema")
    with statements() as seen:
        page, _terms = catalogue.browse_products(Filters(sort="newest"), 2, 10)
    assert len(page.items) == 10
    statement, parameters = next(s for s in seen if "OFFSET" in s[0] and "count(*)" not in s[0])
    assert "import_job_id" not in statement
    steps = [
        row[3] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, parameters)
    ]
    assert not any("BLOOM" in step for step in steps), steps


@pytest.mark.parametrize(
    "filters",
    [
        {"sort": "price_desc"},
        {"sort": "newest", "availability": "in_stock"},
        {"sort": "relevance", "price_min": 1},
    ],
)
def test_a_search_of_a_few_thousand_matches_reads_the_search_index_first(
    app, make_vendor, make_product, monkeypatch, filters
):
    """More matches than are ranked, fewer than the window, and a sort or a filter: the
    database must read the matches first, never walk the price or date index probing the
    search index per product (284 ms a page at ten thousand products)."""
    if search.is_postgres():
        pytest.skip("SQLite's plan")
    monkeypatch.setattr(search, "RANKED_MATCHES", 2)
    vendor = make_vendor()
    for n in range(12):
        make_product(vendor, name=f"ماست محلی {n}" if n % 3 == 0 else f"ترشی {n}")
    search_index.refresh_statistics()
    pretend_a_million_products()
    # Statistics as an older version left them: none for the listing indexes (the plan must
    # not rest on statistics being right).
    connection = db.session.connection()
    connection.exec_driver_sql("DELETE FROM sqlite_stat1 WHERE idx LIKE 'ix_products_listed%'")
    connection.exec_driver_sql("ANALYZE sqlite_schema")
    with statements() as seen:
        page, _terms = catalogue.browse_products(Filters(q="ماست محلی", **filters), 1, 20)
    assert len(page.items) == 4
    statement, parameters = next(s for s in seen if "WITH matches" in s[0] and "OFFSET" in s[0])
    steps = [
        row[3]
        for row in db.session.connection().exec_driver_sql(
            "EXPLAIN QUERY PLAN " + statement, parameters
        )
        if row[3].startswith(("SCAN", "SEARCH", "MATERIALIZE"))
    ]
    assert "products_fts" in steps[0] or steps[0].startswith("MATERIALIZE"), steps
    assert not any("ix_products_listed" in step for step in steps), steps
