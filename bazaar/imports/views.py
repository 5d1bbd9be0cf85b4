"""The organisers' upload page for CSV imports."""

from flask import Blueprint, abort, render_template
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from bazaar.access import role_required
from bazaar.forms import AppForm
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services import imports

bp = Blueprint("imports", __name__, url_prefix="/imports")
MAX_FILE = 5 * 1024 * 1024


class ImportForm(AppForm):
    kind = RadioField(
        _l("What the file holds"),
        choices=[SelectChoice("vendors", _l("Vendors")), SelectChoice("products", _l("Products"))],
        default="vendors",
        validators=[DataRequired()],
    )
    file = FileField(_l("CSV file (UTF-8)"), validators=[FileRequired()])


@bp.get("/")
@role_required(Role.ORGANISER)
def index():
    return render_template(
        "imports/index.html",
        form=ImportForm(),
        vendor_columns=imports.VENDOR_COLUMNS + imports.OPTIONAL_VENDOR_COLUMNS,
        product_columns=imports.PRODUCT_COLUMNS,
        report=None,
    )


@bp.post("/")
@role_required(Role.ORGANISER)
def upload():
    form = ImportForm()
    report = None
    if form.validate_on_submit():
        data = form.file.data.read(MAX_FILE + 1)
        if len(data) > MAX_FILE:
            abort(413)
        if form.kind.data == "vendors":
            report = imports.import_vendors(data, actor=current_user, now=utcnow())
        else:
            report = imports.import_products(data, actor=current_user, now=utcnow())
    status = 200 if report is not None and report.ok else 400
    return render_template(
        "imports/index.html",
        form=form,
        vendor_columns=imports.VENDOR_COLUMNS + imports.OPTIONAL_VENDOR_COLUMNS,
        product_columns=imports.PRODUCT_COLUMNS,
        report=report,
    ), status
