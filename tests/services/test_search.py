"""Persian-aware search: what people type finds what vendors wrote, and nothing breaks it."""

import pytest

from bazaar.services import catalogue, search, search_index
from bazaar.services.catalogue import Filters


def found(query):
    pagination, _terms = catalogue.browse_products(Filters(q=query), 1, 50)
    return sorted(product.name for product in pagination.items)


@pytest.fixture
def products(app, make_vendor, make_product):
    vendor = make_vendor(business_name="ترشی‌سرای مریم")
    make_product(vendor, name="کیک خانگی", category="sweets")
    make_product(vendor, name="مُرَبّای به", category="jam-honey")
    make_product(vendor, name="ترشی‌جات مخلوط")
    make_product(vendor, name="کتاب آشپزی", category="crafts", description="چاپ 1405")
    make_product(vendor, name="شور خیار", description="بدون نگهدارنده، کاملاً organic")
    make_product(vendor, name="ترشیجات شمالی")
    return vendor


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("كيك", ["کیک خانگی"]),  # Arabic-keyboard ي and ك
        ("مربا", ["مُرَبّای به"]),  # diacritics in the product name
        ("ترشیجات", ["ترشی‌جات مخلوط", "ترشیجات شمالی"]),  # ZWNJ in the name
        ("ترشی‌جات", ["ترشی‌جات مخلوط", "ترشیجات شمالی"]),  # ZWNJ in the query
        ("کتــاب", ["کتاب آشپزی"]),  # kashida
        ("۱۴۰۵", ["کتاب آشپزی"]),
        ("١٤٠٥", ["کتاب آشپزی"]),
        ("ORGANIC", ["شور خیار"]),  # an English word in a Persian description
        ("مرب", ["مُرَبّای به"]),  # prefix match on the last term
        ("کیک خانگ", ["کیک خانگی"]),
        ("کیک شور", []),  # every term must match
    ],
)
def test_search_finds_what_people_type(products, query, expected):
    assert found(query) == sorted(expected)


def test_search_matches_vendor_name_in_products_and_vendors(products):
    assert len(found("مریم")) == 6
    assert [v.id for v in catalogue.search_vendors("ترشيسراي")] == [products.id]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        "AND OR",
        "NEAR(",
        "*",
        "a" * 5000,
        "!!! ؟؟ ...",
        "') OR 1=1 --",
        "title:x",
        "^ترشی",
        "NOT",
    ],
)
def test_hostile_queries_give_a_normal_result(products, query):
    pagination, _ = catalogue.browse_products(Filters(q=query), 1, 20)
    assert pagination.total >= 0


def test_only_verified_vendors_products_are_found(app, make_vendor, make_product):
    make_product(make_vendor(status="pending"), name="سوهان پسته‌ای")
    make_product(make_vendor(status="suspended"), name="سوهان عسلی")
    assert found("سوهان") == []


def test_relevance_ranks_better_matches_first(app, make_vendor, make_product):
    vendor = make_vendor()
    make_product(vendor, name="شال", description="بافتنی")
    make_product(vendor, name="عسل", description="عسل عسل عسل کوهستان")
    make_product(vendor, name="مربا", description="با کمی عسل")
    pagination, _ = catalogue.browse_products(Filters(q="عسل"), 1, 20)
    assert [p.name for p in pagination.items] == ["عسل", "مربا"]


def test_editing_a_product_updates_the_index(app, make_product, now):
    product = make_product(name="نان محلی")
    catalogue.save_product(
        product.vendor.user,
        product.id,
        catalogue.ProductData(
            name="نان تافتون",
            category_id=product.category_id,
            price_toman=1,
            unit="عدد",
            availability="in_stock",
        ),
        now=now,
    )
    assert found("محلی") == []
    assert found("تافتون") == ["نان تافتون"]


def test_reindex_rebuilds_from_scratch(products, app):
    from bazaar.extensions import db

    if not search.is_postgres():
        db.session.execute(db.text("INSERT INTO products_fts(products_fts) VALUES ('delete-all')"))
        db.session.commit()
        assert found("كيك") == []
    counts = search_index.reindex_all()
    assert counts == {"vendors": 1, "products": 6}
    assert found("كيك") == ["کیک خانگی"]


def test_query_terms_quote_everything():
    assert search.fts5_match(search.query_terms('a"b OR cd*')) == '"a" "b" "or" "cd"*'
    assert search.tsquery(search.query_terms("x' yz")) == "'x' & 'yz':*"
    assert search.query_terms("  ,.;  ") == []


def test_a_one_letter_last_word_is_matched_whole_not_as_a_prefix(app, make_vendor, make_product):
    vendor = make_vendor()
    make_product(vendor, name="مربا")
    make_product(vendor, name="ویتامین ث")
    assert search.fts5_match(["م"]) == '"م"'
    assert search.tsquery(["ترشی", "م"]) == "'ترشی' & 'م'"
    assert [p.name for p in catalogue.browse_products(Filters(q="م"), 1, 20)[0].items] == []
    assert [p.name for p in catalogue.browse_products(Filters(q="مر"), 1, 20)[0].items] == ["مربا"]
    assert [p.name for p in catalogue.browse_products(Filters(q="ث"), 1, 20)[0].items] == [
        "ویتامین ث"
    ]


def test_highlight_marks_matching_words_and_escapes_the_rest():
    terms = search.query_terms("ترشیجات")
    shown = str(search.highlight("<b>ترشی‌جات</b> و مربا", terms))
    assert shown == "&lt;b&gt;<mark>ترشی‌جات</mark>&lt;/b&gt; و مربا"
    assert str(search.highlight("کیک", [])) == "کیک"


def test_a_broad_term_is_shown_newest_first_without_ranking(
    app, make_vendor, make_product, monkeypatch
):
    vendor = make_vendor()
    make_product(vendor, name="عسل", description="عسل عسل عسل کوهستان")
    make_product(vendor, name="مربا", description="با کمی عسل")
    make_product(vendor, name="شیرینی", description="عسل")
    ranked, _ = catalogue.browse_products(Filters(q="عسل"), 1, 20)
    assert ranked.items[0].name == "عسل"
    monkeypatch.setattr(search, "RANKED_MATCHES", 2)
    broad, _ = catalogue.browse_products(Filters(q="عسل"), 1, 20)
    assert [p.name for p in broad.items] == ["شیرینی", "مربا", "عسل"]


def test_a_broad_term_lists_the_newest_vendors_without_ranking(app, make_vendor, monkeypatch):
    best = make_vendor(business_name="عسل عسل", description="عسل عسل عسل")
    make_vendor(business_name="کارگاه مربا", description="با کمی عسل")
    newest = make_vendor(business_name="شیرینی خانگی", description="عسل")
    assert next(row.id for row in catalogue.search_vendors("عسل")) == best.id
    monkeypatch.setattr(search, "RANKED_MATCHES", 2)
    broad = [row.id for row in catalogue.search_vendors("عسل")]
    assert broad[0] == newest.id
    assert broad[-1] == best.id
