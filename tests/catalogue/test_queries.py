"""How much the catalogue asks of the database: no per-row queries, the search index first."""

from contextlib import contextmanager

import pytest
from sqlalchemy import event

from bazaar.extensions import cache, db
from bazaar.models import Category
from bazaar.services import catalogue, search, search_index
from bazaar.services.catalogue import Filters
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


def fill(make_vendor, make_product, count):
    for n in range(count):
        make_product(make_vendor(), name=f"ترشی {n}", description="سیر و لیته")


def page_statements(client, url):
    cache.clear()  # every request is cold: the figures must not rest on the page cache
    client.get(url)  # warm what the app keeps per process (reference lists, the version)
    cache.clear()
    with statements() as seen:
        assert client.get(url).status_code == 200
    return len(seen)


# What each page needs, cold: the catalogue version, the products (one query with their
# vendor and county), their photos (one query), the count (only when the page is full),
# and for a search the capped match count (ranked or not) and the matching vendors.
BUDGET = {"listing": 5, "search": 7, "product": 5}


@pytest.mark.parametrize(
    ("kind", "url"),
    [
        ("listing", "/catalogue/?sort=newest"),
        ("search", "/catalogue/?q=ترشی"),
        ("product", "/catalogue/products/{id}"),
    ],
)
def test_pages_run_a_fixed_number_of_queries(app, client, make_vendor, make_product, kind, url):
    app.config["ITEMS_PER_PAGE"] = 20
    fill(make_vendor, make_product, 2)
    first = db.session.scalar(db.select(db.func.min(catalogue.Product.id)))
    few = page_statements(client, url.format(id=first))
    fill(make_vendor, make_product, 12)
    many = page_statements(client, url.format(id=first))
    assert many == few, "a query runs once per product or vendor shown"
    assert many <= BUDGET[kind]


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
