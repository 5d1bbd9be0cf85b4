"""The organisers' imports page: upload a CSV, follow its job, read its report."""

from flask import Blueprint, redirect, render_template, url_for
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
# While a job runs, its page reloads itself this often (seconds).
REFRESH_SECONDS = 2


class ImportForm(AppForm):
    kind = RadioField(
        _l("What the file holds"),
        choices=[SelectChoice("vendors", _l("Vendors")), SelectChoice("products", _l("Products"))],
        default="vendors",
        validators=[DataRequired()],
    )
    file = FileField(_l("CSV file (UTF-8)"), validators=[FileRequired()])


def _index_page(form, status=200):
    return render_template(
        "imports/index.html",
        form=form,
        jobs=imports.recent_jobs(),
        vendor_columns=imports.VENDOR_COLUMNS + imports.OPTIONAL_VENDOR_COLUMNS,
        product_columns=imports.PRODUCT_COLUMNS,
    ), status


@bp.get("/")
@role_required(Role.ORGANISER)
def index():
    return _index_page(ImportForm())


@bp.post("/")
@role_required(Role.ORGANISER)
def upload():
    form = ImportForm()
    if not form.validate_on_submit():
        return _index_page(form, 400)
    job = imports.queue_import(
        form.file.data.stream,
        kind=form.kind.data,
        filename=form.file.data.filename,
        actor=current_user,
        now=utcnow(),
    )
    return redirect(url_for("imports.view", job_id=job.id))


@bp.get("/<int:job_id>")
@role_required(Role.ORGANISER)
def view(job_id):
    job = imports.get_job(job_id)
    return render_template(
        "imports/view.html",
        job=job,
        report=imports.job_report(job) if job.is_finished else None,
        refresh=None if job.is_finished else REFRESH_SECONDS,
    )
