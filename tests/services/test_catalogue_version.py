"""The catalogue version: bumped by every change to what the catalogue shows, by nothing else."""

from bazaar.services import catalogue
from bazaar.services.catalogue_version import catalogue_version


def test_catalogue_changes_bump_the_version(app, make_product, now):
    before = catalogue_version()
    product = make_product()
    after_create = catalogue_version()
    assert after_create > before
    catalogue.delete_product(product.vendor.user, product.id, now=now)
    assert catalogue_version() > after_create


def test_unrelated_changes_keep_the_version(app, make_user):
    before = catalogue_version()
    make_user()
    assert catalogue_version() == before
