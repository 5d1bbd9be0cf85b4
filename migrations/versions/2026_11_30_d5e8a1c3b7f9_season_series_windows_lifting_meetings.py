"""season: series windows, lifting decisions, reminders, invitations, agencies, meeting guests

Revision ID: d5e8a1c3b7f9
Revises: 84eab00e48e4
Create Date: 2026-11-30 15:10:00.000000

"""

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = "d5e8a1c3b7f9"
down_revision = "84eab00e48e4"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("bazaar_series", schema=None) as batch_op:
        batch_op.add_column(sa.Column("opens_days_before", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("closes_days_before", sa.Integer(), nullable=True))
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("lift_body", sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column("lift_reference", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("lift_decided_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("lift_document", sa.String(length=80), nullable=True))
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reminded_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("invited_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.alter_column("name_en", existing_type=sa.String(length=160), nullable=True)
        batch_op.add_column(sa.Column("retired_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.add_column(sa.Column("minutes_document", sa.String(length=80), nullable=True))
    op.create_table(
        "meeting_guests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column("role", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_meeting_guests_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"], ["meetings.id"], name=op.f("fk_meeting_guests_meeting_id_meetings")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_meeting_guests")),
    )
    with op.batch_alter_table("meeting_guests", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_meeting_guests_meeting_id"), ["meeting_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("meeting_guests", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_meeting_guests_meeting_id"))
    op.drop_table("meeting_guests")
    with op.batch_alter_table("meetings", schema=None) as batch_op:
        batch_op.drop_column("minutes_document")
    with op.batch_alter_table("agencies", schema=None) as batch_op:
        batch_op.drop_column("retired_at")
        batch_op.alter_column("name_en", existing_type=sa.String(length=160), nullable=False)
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("invited_at")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_column("reminded_at")
    with op.batch_alter_table("restrictions", schema=None) as batch_op:
        batch_op.drop_column("lift_document")
        batch_op.drop_column("lift_decided_on")
        batch_op.drop_column("lift_reference")
        batch_op.drop_column("lift_body")
    with op.batch_alter_table("bazaar_series", schema=None) as batch_op:
        batch_op.drop_column("closes_days_before")
        batch_op.drop_column("opens_days_before")
