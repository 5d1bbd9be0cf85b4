"""Column types and defaults shared by the models."""

from datetime import UTC, datetime

from sqlalchemy.types import DateTime, TypeDecorator


def utcnow():
    """Return the current time in UTC (a column default; rules take `now` instead)."""
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator):
    """Store naive UTC in the database, hand out aware UTC datetimes in Python."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value, dialect):
        return None if value is None else value.replace(tzinfo=UTC)


def render_migration_item(type_, obj, autogen_context):
    """Write UTCDateTime into migrations as the plain DateTime it is stored as."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False
