"""the catalogue's listing indexes carry every column a listing filters on

Revision ID: e5b8d2c47a19
Revises: c4d1e7a9b2f3
Create Date: 2026-11-30 15:10:00.000000

"""

from alembic import op


# revision identifiers, used by Alembic.
revision = "e5b8d2c47a19"
down_revision = "c4d1e7a9b2f3"
branch_labels = None
depends_on = None

COVERING = {
    "ix_products_listed_created": [
        "listed", "created_at", "id", "vendor_id", "category_id", "price_toman", "availability"
    ],
    "ix_products_listed_price": [
        "listed", "price_toman", "id", "vendor_id", "category_id", "availability", "created_at"
    ],
    "ix_products_listed_category": [
        "listed", "category_id", "created_at", "id", "vendor_id", "price_toman", "availability"
    ],
}
NARROW = {
    "ix_products_listed_created": ["listed", "created_at", "id"],
    "ix_products_listed_price": ["listed", "price_toman", "id"],
    "ix_products_listed_category": ["listed", "category_id", "created_at", "id"],
}


def _replace(indexes):
    for name, columns in indexes.items():
        op.drop_index(name, table_name="products")
        op.create_index(name, "products", columns)


def upgrade():
    _replace(COVERING)


def downgrade():
    _replace(NARROW)
