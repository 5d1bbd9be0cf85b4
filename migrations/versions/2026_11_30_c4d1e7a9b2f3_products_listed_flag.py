"""products carry a listed flag (vendor verified) with indexes in the catalogue's sort orders

Revision ID: c4d1e7a9b2f3
Revises: c3a9e5d17f42
Create Date: 2026-11-30 13:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c4d1e7a9b2f3"
down_revision = "c3a9e5d17f42"
branch_labels = None
depends_on = None


# Plain ALTERs, never batch mode: recreating `products` on SQLite would drop its FTS triggers.
def upgrade():
    op.add_column(
        "products", sa.Column("listed", sa.Boolean(), server_default=sa.false(), nullable=False)
    )
    op.drop_index("ix_products_created", table_name="products")
    op.drop_index("ix_products_price", table_name="products")
    op.execute(
        "UPDATE products SET listed = (vendor_id IN "
        "(SELECT id FROM vendors WHERE status = 'verified'))"
    )
    op.create_index("ix_products_listed_created", "products", ["listed", "created_at", "id"])
    op.create_index("ix_products_listed_price", "products", ["listed", "price_toman", "id"])
    op.create_index(
        "ix_products_listed_category", "products", ["listed", "category_id", "created_at", "id"]
    )


def downgrade():
    op.drop_index("ix_products_listed_category", table_name="products")
    op.drop_index("ix_products_listed_price", table_name="products")
    op.drop_index("ix_products_listed_created", table_name="products")
    op.create_index("ix_products_price", "products", ["price_toman", "id"])
    op.create_index("ix_products_created", "products", ["created_at", "id"])
    op.drop_column("products", "listed")
