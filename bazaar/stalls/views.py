"""Stall pages: apply, "my stalls", confirm/decline/withdraw; the organisers' stall list."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from bazaar.access import role_required
from bazaar.csv_export import csv_response
from bazaar.errors import Refused
from bazaar.forms import category_choices
from bazaar.i18n import current_language, format_jalali_datetime, format_number
from bazaar.models import AllocationMode, Role
from bazaar.models.types import utcnow
from bazaar.services import stalls
from bazaar.services.bazaars import listing
from bazaar.services.stalls import rules as stall_rules
from bazaar.stalls.forms import ActionForm, ApplyForm, MoveForm, RemoveForm, RoundForm

bp = Blueprint("stalls", __name__, url_prefix="/stalls")

# Templates ask the rules what a state means and allows, e.g. `stall_rules.may_confirm(a, now)`.
bp.add_app_template_global(stall_rules, "stall_rules")


def apply_form_for(bazaar):
    """The apply form with this bazaar's stall types and the categories."""
    form = ApplyForm()
    form.stall_type_id.choices = [SelectChoice(str(s.id), s.name) for s in bazaar.stall_types]
    form.category_ids.choices = [
        SelectChoice(c.value, c.label) for c in category_choices(current_language())
    ]
    return form


def _bazaar_or_404(bazaar_id):
    """Return the bazaar, or answer 404 (NotFound)."""
    return listing.get_bazaar(bazaar_id)


@bp.post("/apply/<int:bazaar_id>")
@role_required(Role.VENDOR)
def apply(bazaar_id):
    """Apply for a stall from the bazaar's page; the outcome is flashed on "My stalls"."""
    bazaar = _bazaar_or_404(bazaar_id)
    form = apply_form_for(bazaar)
    if not form.validate_on_submit():
        flash(_("Choose a stall type and what you will sell."), "danger")
        return redirect(url_for("bazaars.view", bazaar_id=bazaar.id))
    try:
        application = stalls.apply_for_stall(
            current_user,
            bazaar.id,
            form.stall_type_id.data,
            form.category_ids.data,
            form.note.data,
            now=utcnow(),
        )
    except Refused as error:
        flash(error.message, "danger")
        return redirect(url_for("bazaars.view", bazaar_id=bazaar.id))
    outcome = application.outcome
    holds = outcome["state"] in stall_rules.HOLDING
    flash(stalls.explain(outcome["reason"]), "success" if holds else "info")
    return redirect(url_for("stalls.mine"))


@bp.get("/mine")
@role_required(Role.VENDOR)
def mine():
    """List the vendor's applications with what each may do next."""
    return render_template(
        "stalls/mine.html",
        applications=stalls.my_applications(current_user),
        explain=stalls.explain,
        form=ActionForm(),
        now=utcnow(),
    )


@bp.post("/<int:application_id>/<any(confirm, decline, withdraw):action>")
@role_required(Role.VENDOR)
def act(application_id, action):
    """Confirm, decline or withdraw the vendor's own application."""
    if not ActionForm().validate_on_submit():
        abort(400)
    operation = {
        "confirm": stalls.confirm_stall,
        "decline": stalls.decline_stall,
        "withdraw": stalls.withdraw_application,
    }[action]
    try:
        operation(current_user, application_id, now=utcnow())
    except Refused as error:
        flash(error.message, "danger")
    else:
        flash(
            {
                "confirm": _("Your stall is confirmed."),
                "decline": _("You declined the stall; it passed to the next vendor."),
                "withdraw": _("Your application is withdrawn."),
            }[action],
            "success",
        )
    return redirect(url_for("stalls.mine"))


# --- organisers ----------------------------------------------------------------------------


@bp.get("/bazaar/<int:bazaar_id>")
@role_required(Role.ORGANISER)
def bazaar(bazaar_id):
    """Show organisers a bazaar's applications by stall type, with papers and history."""
    item = _bazaar_or_404(bazaar_id)
    applications = stalls.applications_for(item.id)
    move_form = MoveForm()
    move_form.stall_type_id.choices = [SelectChoice(str(s.id), s.name) for s in item.stall_types]
    return render_template(
        "stalls/bazaar.html",
        bazaar=item,
        applications=applications,
        history=stalls.vendor_histories({a.vendor_id for a in applications}, item.id),
        explain=stalls.explain,
        round_form=RoundForm() if item.allocation_mode == AllocationMode.ROUND else None,
        remove_form=RemoveForm(),
        move_form=move_form,
    )


@bp.post("/bazaar/<int:bazaar_id>/round")
@role_required(Role.ORGANISER)
def run_round(bazaar_id):
    """Run a round bazaar's allocation with the organiser's seed and priority rules."""
    item = _bazaar_or_404(bazaar_id)
    form = RoundForm()
    if not form.validate_on_submit():
        flash(
            _("Enter the lottery seed (up to 64 characters); it is published with the result."),
            "danger",
        )
        return redirect(url_for("stalls.bazaar", bazaar_id=item.id))
    try:
        ranked = stalls.run_round(
            current_user,
            item.id,
            seed=form.seed.data,
            priorities=form.priorities.data,
            now=utcnow(),
        )
    except Refused as error:
        flash(error.message, "danger")
    else:
        flash(
            _(
                "The round allocated %(count)s applications; the lottery key it used is shown"
                " below.",
                count=format_number(len(ranked)),
            ),
            "success",
        )
    return redirect(url_for("stalls.bazaar", bazaar_id=item.id))


def _application_or_404(application_id):
    """Return any application, or answer 404 (NotFound)."""
    return stalls.get_application(application_id)


@bp.post("/<int:application_id>/remove")
@role_required(Role.ORGANISER)
def remove(application_id):
    """Remove a vendor's stall with a reason they see."""
    application = _application_or_404(application_id)
    form = RemoveForm()
    if not form.validate_on_submit():
        flash(_("Give a reason; the vendor will see it."), "danger")
    else:
        try:
            stalls.remove_allocation(current_user, application.id, form.reason.data, now=utcnow())
        except Refused as error:
            flash(error.message, "danger")
        else:
            flash(_("The allocation is removed; the next vendor in line got the stall."), "success")
    return redirect(url_for("stalls.bazaar", bazaar_id=application.bazaar_id))


@bp.post("/<int:application_id>/move")
@role_required(Role.ORGANISER)
def move(application_id):
    """Move a vendor to another stall type of the same bazaar."""
    application = _application_or_404(application_id)
    form = MoveForm()
    form.stall_type_id.choices = [
        SelectChoice(str(s.id), s.name) for s in application.bazaar.stall_types
    ]
    if not form.validate_on_submit():
        flash(_("Choose a stall type of this bazaar."), "danger")
    else:
        try:
            stalls.move_allocation(
                current_user, application.id, form.stall_type_id.data, now=utcnow()
            )
        except Refused as error:
            flash(error.message, "danger")
        else:
            flash(_("The vendor was moved."), "success")
    return redirect(url_for("stalls.bazaar", bazaar_id=application.bazaar_id))


@bp.get("/bazaar/<int:bazaar_id>.csv")
@role_required(Role.ORGANISER)
def export(bazaar_id):
    """Download a bazaar's applications as CSV (UTF-8 with a BOM, for spreadsheets)."""
    item = _bazaar_or_404(bazaar_id)
    applications = stalls.applications_for(item.id)
    numbers = stall_rules.stall_numbers(applications)
    header = [
        _("Stall number"),
        _("Stall type"),
        _("State"),
        _("Business"),
        _("Owner"),
        _("Mobile"),
        _("Health ID"),
        _("Applied"),
        _("Reason"),
    ]
    rows = (
        [
            numbers.get(application.id, ""),
            application.stall_type.name,
            str(stall_rules.label(application)),
            application.vendor.business_name,
            application.vendor.owner_name,
            application.vendor.mobile,
            application.vendor.health_id or "",
            format_jalali_datetime(application.applied_at),
            stalls.explain(application.reason),
        ]
        for application in applications
    )
    return csv_response(f"stalls-{item.id}.csv", header, rows)
