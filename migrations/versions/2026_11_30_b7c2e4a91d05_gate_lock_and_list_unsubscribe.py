"""the gate gets its own lock row; messages carry a List-Unsubscribe URL

Revision ID: b7c2e4a91d05
Revises: 73eac5ff57cc
Create Date: 2026-11-30 12:40:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "b7c2e4a91d05"
down_revision = "73eac5ff57cc"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "locks",
        sa.Column("name", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_locks")),
    )
    op.execute("INSERT INTO locks (name) VALUES ('gate')")
    # The catalogue version counter no longer doubles as the gate lock.
    op.execute("DELETE FROM counters WHERE name = 'gate'")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.add_column(sa.Column("list_unsubscribe", sa.String(length=500), nullable=True))


def downgrade():
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_column("list_unsubscribe")
    op.execute("INSERT INTO counters (name, value) VALUES ('gate', 0)")
    op.drop_table("locks")
