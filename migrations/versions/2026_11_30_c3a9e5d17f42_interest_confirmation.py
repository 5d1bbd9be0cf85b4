"""an interest-list sign-up by email or mobile counts once its contact confirms it

Revision ID: c3a9e5d17f42
Revises: c41e7a9d2f63
Create Date: 2026-11-30 13:15:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "c3a9e5d17f42"
down_revision = "c41e7a9d2f63"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.add_column(sa.Column("confirmed_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("confirm_token", sa.String(length=43), nullable=True))
        batch_op.add_column(sa.Column("confirm_sent_at", sa.DateTime(), nullable=True))
        batch_op.create_unique_constraint(
            batch_op.f("uq_interests_confirm_token"), ["confirm_token"]
        )
    # Entries from before confirmation existed stay on their lists: every release message
    # they get carries the unsubscribe link.
    op.execute("UPDATE interests SET confirmed_at = created_at")


def downgrade():
    with op.batch_alter_table("interests", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("uq_interests_confirm_token"), type_="unique")
        batch_op.drop_column("confirm_sent_at")
        batch_op.drop_column("confirm_token")
        batch_op.drop_column("confirmed_at")
