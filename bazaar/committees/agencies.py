"""The plan's agencies (admins): add, rename, retire or bring back, delete one added by mistake."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from bazaar.access import role_required
from bazaar.committees.forms import AgencyForm
from bazaar.committees.views import bp
from bazaar.errors import Refused
from bazaar.forms import AppForm, attach_error
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services import agencies


def _page(form, status=200, editing=None):
    return render_template(
        "committees/agencies.html",
        agencies=agencies.list_agencies(),
        form=form,
        editing=editing,
        action_form=AppForm(),
    ), status


@bp.get("/agencies", endpoint="agencies")
@role_required(Role.ADMIN)
def agencies_page():
    """List the plan's agencies, with the form to add one."""
    return _page(AgencyForm())


@bp.post("/agencies")
@role_required(Role.ADMIN)
def create_agency():
    form = AgencyForm()
    if form.validate_on_submit():
        try:
            agencies.save_agency(
                current_user, name_fa=form.name_fa.data, name_en=form.name_en.data, now=utcnow()
            )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The agency is added."), "success")
            return redirect(url_for("committees.agencies"))
    return _page(form, 400)


@bp.get("/agencies/<int:agency_id>/edit")
@role_required(Role.ADMIN)
def agency_edit_form(agency_id):
    """The rename form, filled in with the agency's names."""
    agency = agencies.get_agency(agency_id)
    return _page(AgencyForm(name_fa=agency.name_fa, name_en=agency.name_en), editing=agency)


@bp.post("/agencies/<int:agency_id>/edit")
@role_required(Role.ADMIN)
def rename_agency(agency_id):
    agency = agencies.get_agency(agency_id)
    form = AgencyForm()
    if form.validate_on_submit():
        try:
            agencies.rename_agency(
                current_user,
                agency.id,
                name_fa=form.name_fa.data,
                name_en=form.name_en.data,
                now=utcnow(),
            )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The agency is renamed."), "success")
            return redirect(url_for("committees.agencies"))
    return _page(form, 400, editing=agency)


@bp.post("/agencies/<int:agency_id>/<any(retire, reinstate):action>")
@role_required(Role.ADMIN)
def retire_agency(agency_id, action):
    """Retire an agency (its history stays; no one new joins it) or bring it back."""
    agency = agencies.get_agency(agency_id)
    if AppForm().validate_on_submit():
        agencies.retire_agency(current_user, agency.id, retired=action == "retire", now=utcnow())
        flash(
            _("The agency is retired.") if action == "retire" else _("The agency is back."),
            "success",
        )
    return redirect(url_for("committees.agencies"))


@bp.post("/agencies/<int:agency_id>/delete")
@role_required(Role.ADMIN)
def delete_agency(agency_id):
    """Delete an agency added by mistake; one with history is refused (retire it instead)."""
    agency = agencies.get_agency(agency_id)
    if AppForm().validate_on_submit():
        try:
            agencies.delete_agency(current_user, agency.id, now=utcnow())
        except Refused as error:
            flash(error.message, "danger")
        else:
            flash(_("The agency is deleted."), "success")
    return redirect(url_for("committees.agencies"))
