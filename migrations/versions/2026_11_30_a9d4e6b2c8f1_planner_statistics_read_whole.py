"""planner statistics read whole: replace the sampled ones earlier versions left

Earlier versions analysed with `PRAGMA analysis_limit = 1000`, which read the first thousand
entries of each index and told SQLite that "listed" or a category picks about a thousand
products at any size; it chose catalogue plans from that. Seeding, imports and reindexing now
run a full ANALYZE (services/search_index.refresh_statistics); this does it once for a
database analysed before. About half a second at a million products.

Revision ID: a9d4e6b2c8f1
Revises: f7c3a8e1d2b6
Create Date: 2026-11-30 19:10:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "a9d4e6b2c8f1"
down_revision = "f7c3a8e1d2b6"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return  # PostgreSQL's statistics were never sampled this way
    # Only a database analysed before: statistics of empty tables (a new instance) would tell
    # the planner every table is tiny while the first imports fill them (an import's chunks
    # took 0.6 s instead of 0.1 s).
    analysed = sa.text("SELECT count(*) FROM sqlite_master WHERE name = 'sqlite_stat1'")
    if bind.execute(analysed).scalar():
        op.execute("PRAGMA analysis_limit = 0")
        op.execute("ANALYZE")


def downgrade():
    pass  # statistics only: nothing to undo
