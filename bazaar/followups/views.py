"""Follow-up pages: mine and overdue, one follow-up with its history, and its three forms."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from bazaar.access import role_required
from bazaar.errors import Refused
from bazaar.followups.forms import CommentForm, ReassignForm, StatusForm, organiser_choices
from bazaar.forms import attach_error
from bazaar.i18n import local_date
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services.followups import rules
from bazaar.services.followups import service as followups

bp = Blueprint("followups", __name__, url_prefix="/followups")


@bp.get("/")
@role_required(Role.ORGANISER)
def index():
    """Show my unfinished follow-ups and the overdue ones I may see."""
    today = local_date(utcnow())
    return render_template(
        "followups/index.html",
        mine=followups.my_followups(current_user),
        overdue=followups.overdue_followups(current_user, today),
        today=today,
        rules=rules,
    )


def _forms(followup, comment_form=None, status_form=None, reassign_form=None):
    reassign = reassign_form or ReassignForm(prefix="reassign")
    reassign.responsible_id.choices = organiser_choices(_("Choose…"))
    return {
        "comment_form": comment_form or CommentForm(formdata=None),
        "status_form": status_form or StatusForm(formdata=None, status=followup.status),
        "reassign_form": reassign,
    }


def _page(followup, status=200, **forms):
    return render_template(
        "followups/view.html",
        followup=followup,
        rules=rules,
        today=local_date(utcnow()),
        **_forms(followup, **forms),
    ), status


@bp.get("/<int:followup_id>")
@role_required(Role.ORGANISER)
def view(followup_id):
    return _page(followups.get_followup(current_user, followup_id))


def _saved(followup):
    flash(_("Saved."), "success")
    return redirect(url_for("followups.view", followup_id=followup.id))


@bp.post("/<int:followup_id>/comment")
@role_required(Role.ORGANISER)
def comment(followup_id):
    followup = followups.get_followup(current_user, followup_id)
    form = CommentForm()
    if form.validate_on_submit():
        try:
            followups.comment(current_user, followup.id, form.text.data, now=utcnow())
        except Refused as error:
            attach_error(form, error)
        else:
            return _saved(followup)
    return _page(followup, 400, comment_form=form)


@bp.post("/<int:followup_id>/status")
@role_required(Role.ORGANISER)
def set_status(followup_id):
    followup = followups.get_followup(current_user, followup_id)
    form = StatusForm()
    if form.validate_on_submit():
        try:
            followups.set_status(
                current_user, followup.id, form.status.data, reason=form.reason.data, now=utcnow()
            )
        except Refused as error:
            attach_error(form, error)
        else:
            return _saved(followup)
    return _page(followup, 400, status_form=form)


@bp.post("/<int:followup_id>/reassign")
@role_required(Role.ORGANISER)
def reassign(followup_id):
    """Hand the follow-up over to another organiser."""
    followup = followups.get_followup(current_user, followup_id)
    form = ReassignForm(prefix="reassign")
    form.responsible_id.choices = organiser_choices(_("Choose…"))
    if form.validate_on_submit():
        try:
            followups.reassign(
                current_user, followup.id, form.responsible_id.data, form.reason.data, now=utcnow()
            )
        except Refused as error:
            attach_error(form, error)
        else:
            return _saved(followup)
    return _page(followup, 400, reassign_form=form)
