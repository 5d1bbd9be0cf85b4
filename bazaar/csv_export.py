"""The one CSV writer for downloads: UTF-8 with a BOM, and no cell a spreadsheet runs as a formula.

A cell that starts with = + - @ (or tab or carriage return, or their full-width forms) is run
as a formula by Excel, LibreOffice and Google Sheets; names typed by vendors and users end up
in these files, so such text cells get a leading single quote, as OWASP's "CSV Injection"
page advises. Numbers stay numbers.
"""

import csv
import io

from flask import Response

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


def safe_cell(value):
    """Return the value as a spreadsheet shows it as text: never a formula."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, int | float):
        text = str(value)
        return "'" + text if text.startswith(FORMULA_STARTS) else text
    return value


def csv_text(header, rows):
    """Return the CSV text (with its BOM) of a header row and data rows."""
    out = io.StringIO()
    writer = csv.writer(out)
    if header is not None:
        writer.writerow([safe_cell(value) for value in header])
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    # The BOM makes spreadsheets read the file as UTF-8 and show Persian.
    return "\ufeff" + out.getvalue()


def csv_response(filename, header, rows):
    """Answer with a CSV download of a header row and data rows."""
    return Response(
        csv_text(header, rows),
        mimetype="text/csv",
        headers={"Content-Disposition": f"attachment; filename={filename}"},
    )
