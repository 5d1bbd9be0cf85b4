"""The visitors' page cache: fast repeats, never stale after a change."""

from bazaar.services import catalogue, page_cache


def test_catalogue_changes_bump_the_version(app, make_product, now):
    before = page_cache.catalogue_version()
    product = make_product()
    after_create = page_cache.catalogue_version()
    assert after_create > before
    catalogue.delete_product(product.vendor.user, product.id, now=now)
    assert page_cache.catalogue_version() > after_create


def test_unrelated_changes_keep_the_version(app, make_user):
    before = page_cache.catalogue_version()
    make_user()
    assert page_cache.catalogue_version() == before
