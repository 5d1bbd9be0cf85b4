"""stall types can be closed to new applications

Revision ID: c41e7a9d2f63
Revises: 28d178579767
Create Date: 2026-11-30 13:20:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c41e7a9d2f63"
down_revision = "28d178579767"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("stall_types", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_at", sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table("stall_types", schema=None) as batch_op:
        batch_op.drop_column("closed_at")
