"""Reading the licence system's CSV files: rows with their numbers, or the file's problem."""

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import bindparam

from bazaar.errors import MESSAGES
from bazaar.i18n import parse_jalali_date
from bazaar.text import strip_controls, to_ascii_digits

MAX_ROWS = 50_000


@dataclass
class RowError:
    row: int
    column: str
    code: str
    params: dict = field(default_factory=dict)

    @property
    def message(self):
        template = MESSAGES.get(self.code, self.code)
        return str(template) % self.params if self.params else str(template)


@dataclass
class ImportReport:
    kind: str
    errors: list = field(default_factory=list)
    created: int = 0
    updated: int = 0
    rows: int = 0

    @property
    def ok(self):
        return not self.errors


def read_csv(source, required, optional=()):
    """Read UTF-8 (with or without BOM) CSV from bytes or a binary file, a line at a time.

    Return (rows, errors): rows are (row number, {column: cell}) for the named columns.
    """
    handle = io.BytesIO(source) if isinstance(source, bytes) else source
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    try:
        return _rows(csv.DictReader(text), required, optional)
    except UnicodeDecodeError:
        return [], [RowError(0, "", "import.not_utf8")]
    finally:
        text.detach()  # the caller owns (and closes) the file


def _rows(reader, required, optional):
    header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
    missing = [name for name in required if name not in header]
    if missing:
        columns = ", ".join(missing)
        return [], [RowError(1, columns, "import.missing_columns", {"columns": columns})]
    reader.fieldnames = header
    rows = []
    try:
        for number, row in enumerate(reader, start=2):
            if number - 1 > MAX_ROWS:
                return [], [RowError(number, "", "import.too_many_rows", {"max": MAX_ROWS})]
            if not any((value or "").strip() for value in row.values() if isinstance(value, str)):
                continue
            rows.append((number, {key: _cell(row, key) for key in (*required, *optional)}))
    except csv.Error as exc:
        return [], [RowError(reader.line_num, "", "import.bad_csv", {"detail": str(exc)})]
    return rows, []


def _cell(row, key):
    # A cell's text as a form field's would be: no control characters, a description may keep
    # its line breaks.
    return strip_controls(row.get(key) or "", keep_lines=key == "description").strip()


def parse_date(text):
    """Read a Jalali (۱۴۰۵/۰۹/۱۵, 1405-09-15) or ISO Gregorian (2026-12-06) date."""
    ascii_text = to_ascii_digits(text.strip())
    year = ascii_text.replace("/", "-").split("-")[0]
    if year.isascii() and year.isdigit() and int(year) >= 1700:
        return datetime.strptime(ascii_text.replace("/", "-"), "%Y-%m-%d").date()  # noqa: DTZ007
    return parse_jalali_date(ascii_text)


def date_or_error(row, number, column, errors, required=False):
    """Return the date in `column`, or None after adding a row error if it is not one."""
    if not row[column]:
        if required:
            errors.append(RowError(number, column, "import.required"))
        return None
    try:
        return parse_date(row[column])
    except ValueError:
        errors.append(RowError(number, column, "import.bad_date", {"value": row[column]}))
        return None


def bulk_insert(session, model, rows):
    """Insert rows (dicts with the same keys) in one executemany, bypassing the ORM."""
    if rows:
        session.execute(model.__table__.insert(), rows)


def prepare_insert(session, model, rows):
    """Compile an INSERT of these rows and convert their values for the driver now.

    Return (sql, parameters) for `run_prepared` inside the write transaction: the per-value
    work (dates to the database's form) is then done before the write lock is taken. Rows
    must give every column that has no server default.
    """
    if not rows:
        return None
    table = model.__table__
    keys = list(rows[0])
    statement = table.insert().values(
        {key: bindparam(key, type_=table.c[key].type) for key in keys}
    )
    compiled = statement.compile(dialect=session.get_bind().dialect)
    convert = compiled._bind_processors
    order = compiled.positiontup or keys
    processors = [convert.get(key) for key in order]

    def bound(row):
        values = [row[key] for key in order]
        return [f(v) if f else v for f, v in zip(processors, values, strict=True)]

    if compiled.positional:
        return str(compiled), [tuple(bound(row)) for row in rows]
    return str(compiled), [dict(zip(order, bound(row), strict=True)) for row in rows]


def run_prepared(session, prepared):
    """Execute what prepare_insert made, as one executemany."""
    if prepared is not None:
        sql, parameters = prepared
        session.connection().exec_driver_sql(sql, parameters)


def bulk_update(session, model, rows):
    """Update rows by id (dicts with the same keys, `id` among them) in one executemany."""
    if not rows:
        return
    table = model.__table__
    columns = [key for key in rows[0] if key != "id"]
    statement = (
        table.update()
        .where(table.c.id == bindparam("row_id"))
        .values({column: bindparam(f"row_{column}") for column in columns})
    )
    session.execute(
        statement, [{f"row_{key}": value for key, value in row.items()} for row in rows]
    )


def by_chunks(items, size=5000):
    """Yield successive slices of `items` (IN lists stay under SQLite's variable limit)."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
