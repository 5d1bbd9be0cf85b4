"""Organisers record gathering restrictions, lift them, or set their end date."""

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from bazaar.access import role_required
from bazaar.errors import Conflict, Refused, TooLarge
from bazaar.forms import AppForm, JalaliDateField, attach_error, id_choices
from bazaar.i18n import current_language, format_number, local_date, local_zone
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services import images, reference, restrictions
from bazaar.services.bazaars import listing
from bazaar.services.bazaars.rules import has_ended

bp = Blueprint("restrictions", __name__, url_prefix="/restrictions")


class RestrictionForm(AppForm):
    body = StringField(_l("Deciding authority"), validators=[DataRequired(), Length(max=200)])
    reference = StringField(
        _l("Decision reference number"), validators=[DataRequired(), Length(max=80)]
    )
    decided_on = JalaliDateField(_l("Decision date"), validators=[InputRequired()])
    # No default: the organiser chooses the whole province or one county deliberately.
    region = SelectField(
        _l("Region covered"),
        validators=[DataRequired(message=_l("Choose the whole province or one county."))],
    )
    starts_on = JalaliDateField(_l("From"), validators=[InputRequired()])
    ends_on = JalaliDateField(_l("Until (empty: until further notice)"), validators=[Optional()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=2000)])
    document = FileField(_l("Decision document (PDF or photo, optional)"))


class LiftForm(AppForm):
    """The decision that lifts a restriction, recorded like the restriction itself."""

    body = StringField(_l("Deciding authority"), validators=[DataRequired(), Length(max=200)])
    reference = StringField(
        _l("Decision reference number"), validators=[DataRequired(), Length(max=80)]
    )
    decided_on = JalaliDateField(_l("Decision date"), validators=[InputRequired()])
    document = FileField(_l("Decision document (PDF or photo, optional)"))


PROVINCE = "province"


class EndForm(AppForm):
    ends_on = JalaliDateField(_l("Ends on"), validators=[InputRequired()])


def _form():
    form = RestrictionForm()
    form.region.choices = [
        SelectChoice("", _("Choose…")),
        SelectChoice(PROVINCE, _("The whole province")),
        *id_choices(reference.list_counties(), current_language()),
    ]
    return form


def _region_id(form):
    """The county chosen, or None for the whole province."""
    return None if form.region.data == PROVINCE else int(form.region.data)


@bp.get("/")
@role_required(Role.ORGANISER)
def index():
    """List every decision on record, saying which are in force, ended or lifted."""
    now, zone = utcnow(), local_zone()
    on_record = restrictions.list_restrictions()
    return render_template(
        "restrictions/index.html",
        restrictions=on_record,
        ended={r.id: has_ended(r, now, zone) for r in on_record},
        today=local_date(now),
        end_form=EndForm(),
    )


@bp.get("/new")
@role_required(Role.ORGANISER)
def create_form():
    return render_template("restrictions/new.html", form=_form())


@bp.post("/new")
@role_required(Role.ORGANISER)
def create():
    """Record a decision (with its document); the bazaars it covers are held at once."""
    form = _form()
    if not form.validate_on_submit():
        return render_template("restrictions/new.html", form=form), 400
    if "preview" in request.form:
        return _preview(form)
    data = restrictions.RestrictionData(
        body=form.body.data,
        reference=form.reference.data,
        decided_on=form.decided_on.data,
        region_id=_region_id(form),
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        note=form.note.data or "",
    )
    document = form.document.data.read() if form.document.data else None
    try:
        restrictions.record_restriction(current_user, data, now=utcnow(), document_data=document)
    except TooLarge:
        abort(413)
    except Refused as error:
        attach_error(form, error, default="document")
        return render_template("restrictions/new.html", form=form), 400
    flash(_("The restriction is recorded; the bazaars it covers are held."), "success")
    return redirect(url_for("restrictions.index"))


def _preview(form):
    """Show, above the filled-in form, the bazaars the restriction would hold (nothing saved)."""
    try:
        preview = restrictions.preview_restriction(
            _region_id(form), form.starts_on.data, form.ends_on.data, now=utcnow()
        )
    except Refused as error:
        attach_error(form, error)
        return render_template("restrictions/new.html", form=form), 400
    return render_template("restrictions/new.html", form=form, preview=preview)


def _held_by(restriction):
    return [
        entry
        for group in listing.held_dashboard(now=utcnow())
        if group["restriction"].id == restriction.id
        for entry in group["bazaars"]
    ]


def _lift_page(restriction, form, status=200):
    return render_template(
        "restrictions/lift.html", restriction=restriction, held=_held_by(restriction), form=form
    ), status


@bp.get("/<int:restriction_id>/lift")
@role_required(Role.ORGANISER)
def lift_form(restriction_id):
    """Ask for the lifting decision and show the bazaars lifting would release.

    A lifted restriction's page says so and shows the decision that lifted it.
    """
    return _lift_page(restrictions.get_restriction(restriction_id), LiftForm())


@bp.post("/<int:restriction_id>/lift")
@role_required(Role.ORGANISER)
def lift(restriction_id):
    """Record the lifting decision; bazaars only it held go ahead and their lists are told."""
    restriction = restrictions.get_restriction(restriction_id)
    form = LiftForm()
    if not form.validate_on_submit():
        return _lift_page(restriction, form, 400)
    try:
        released = restrictions.lift_restriction(
            current_user,
            restriction.id,
            now=utcnow(),
            decided_by=form.body.data,
            reference=form.reference.data,
            decided_on=form.decided_on.data,
            document_data=form.document.data.read() if form.document.data else None,
        )
    except TooLarge:
        abort(413)
    except Conflict as error:  # lifted meanwhile: its page now says so
        flash(error.message, "danger")
        return redirect(url_for("restrictions.lift_form", restriction_id=restriction.id))
    except Refused as error:
        attach_error(form, error, default="document")
        return _lift_page(restriction, form, 400)
    flash(
        _(
            "The restriction is lifted; %(count)s bazaars go ahead and everyone waiting is told.",
            count=format_number(len(released)),
        ),
        "success",
    )
    return redirect(url_for("restrictions.index"))


@bp.post("/<int:restriction_id>/end")
@role_required(Role.ORGANISER)
def set_end(restriction_id):
    """Set the day the restriction ends; bazaars are released once that day has passed."""
    restriction = restrictions.get_restriction(restriction_id)
    form = EndForm()
    if not form.validate_on_submit():
        flash(_("Enter a Jalali date that exists, such as ۱۴۰۵/۰۹/۱۵."), "danger")
        return redirect(url_for("restrictions.index"))
    try:
        released = restrictions.set_restriction_end(
            current_user, restriction.id, form.ends_on.data, now=utcnow()
        )
    except Refused as error:
        flash(error.message, "danger")
    else:
        flash(
            _(
                "The end date is set; %(count)s bazaars were released now.",
                count=format_number(len(released)),
            ),
            "success",
        )
    return redirect(url_for("restrictions.index"))


@bp.get("/<int:restriction_id>/document")
@role_required(Role.ORGANISER)
def document(restriction_id):
    """Download the decision's document (PDF or photo) as an attachment."""
    restriction = restrictions.get_restriction(restriction_id)
    return send_document(restriction.document, f"decision-{restriction.id}")


@bp.get("/<int:restriction_id>/lifting-document")
@role_required(Role.ORGANISER)
def lift_document(restriction_id):
    """Download the lifting decision's document as an attachment."""
    restriction = restrictions.get_restriction(restriction_id)
    return send_document(restriction.lift_document, f"lifting-{restriction.id}")


def send_document(name, download_name):
    """Send a stored document (PDF or photo) as an attachment; 404 when there is none."""
    if not name:
        abort(404)
    mimetype = "application/pdf" if name.endswith(".pdf") else "image/jpeg"
    response = send_from_directory(images.uploads_dir("documents"), name, mimetype=mimetype)
    response.headers["Content-Disposition"] = f"attachment; filename={download_name}{name[-4:]}"
    return response
