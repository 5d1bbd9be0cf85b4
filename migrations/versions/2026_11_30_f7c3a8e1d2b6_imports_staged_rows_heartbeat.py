"""imports: staged vendors and claim messages (import_job_id), the job's heartbeat

Revision ID: f7c3a8e1d2b6
Revises: d5e8f1a2b3c4
Create Date: 2026-11-30 18:30:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "f7c3a8e1d2b6"
down_revision = "d5e8f1a2b3c4"
branch_labels = None
depends_on = None

STAGED = sa.text("import_job_id IS NOT NULL")


def upgrade():
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.add_column(sa.Column("heartbeat_at", sa.DateTime(), nullable=True))
    # A plain ADD COLUMN (no table copy: the vendors' search triggers stay); SQLite takes the
    # reference inline only.
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("vendors", "messages"):
        if sqlite:
            op.execute(
                f"ALTER TABLE {table} ADD COLUMN import_job_id INTEGER REFERENCES import_jobs (id)"
            )
        else:
            op.add_column(table, sa.Column("import_job_id", sa.Integer(), nullable=True))
            op.create_foreign_key(
                f"fk_{table}_import_job_id_import_jobs",
                table,
                "import_jobs",
                ["import_job_id"],
                ["id"],
            )
        op.create_index(
            f"ix_{table}_staged",
            table,
            ["import_job_id"],
            unique=False,
            sqlite_where=STAGED,
            postgresql_where=STAGED,
        )


def downgrade():
    sqlite = op.get_bind().dialect.name == "sqlite"
    for table in ("messages", "vendors"):
        op.drop_index(f"ix_{table}_staged", table_name=table)
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("import_job_id")
    if sqlite:
        # SQLite's batch mode copied the vendors table, and its search triggers went with it.
        restore_vendor_search_triggers()
    with op.batch_alter_table("import_jobs", schema=None) as batch_op:
        batch_op.drop_column("heartbeat_at")


def restore_vendor_search_triggers():
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS vendors_fts_insert AFTER INSERT ON vendors BEGIN "
        "INSERT INTO vendors_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS vendors_fts_delete AFTER DELETE ON vendors BEGIN "
        "INSERT INTO vendors_fts(vendors_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER IF NOT EXISTS vendors_fts_update AFTER UPDATE OF search_text ON vendors "
        "BEGIN INSERT INTO vendors_fts(vendors_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO vendors_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
