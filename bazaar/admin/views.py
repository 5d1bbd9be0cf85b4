"""Administration pages: list accounts, change roles, disable and enable accounts."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from bazaar.access import role_required
from bazaar.admin.forms import ROLE_LABELS, ConfirmForm, RoleForm
from bazaar.errors import Refused
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services import accounts, committees

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _load_user_or_404(user_id):
    return accounts.get_user(user_id)


def _back_to_list():
    """Back to the accounts list as the admin left it: the same search and page."""
    page = request.form.get("page", type=int)
    return redirect(
        url_for(
            "admin.users", q=request.form.get("q") or None, page=page if page and page > 1 else None
        )
    )


@bp.get("/users")
@role_required(Role.ADMIN)
def users():
    page = request.args.get("page", 1, type=int)
    query = request.args.get("q", "")
    pagination = accounts.search_users(query, page, current_app.config["ITEMS_PER_PAGE"])
    return render_template(
        "admin/users.html",
        page_obj=pagination,
        q=query,
        role_labels=ROLE_LABELS,
        role_form=RoleForm,
        confirm_form=ConfirmForm(),
        agencies=committees.list_agencies(),
    )


@bp.post("/users/<int:user_id>/role")
@role_required(Role.ADMIN)
def update_role(user_id):
    user = _load_user_or_404(user_id)
    form = RoleForm()
    if not form.validate_on_submit():
        flash(_("Choose one of the listed roles."), "danger")
        return _back_to_list()
    try:
        accounts.set_role(current_user, user.id, form.role.data, now=utcnow())
    except Refused as error:
        flash(error.message, "danger")
    else:
        flash(
            _(
                "The role of %(name)s is now %(role)s.",
                name=user.name,
                role=ROLE_LABELS[form.role.data],
            ),
            "success",
        )
    return _back_to_list()


@bp.post("/users/<int:user_id>/agency")
@role_required(Role.ADMIN)
def update_agency(user_id):
    user = _load_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        committees.set_agency(
            current_user, user.id, request.form.get("agency_id", type=int), now=utcnow()
        )
    except Refused as error:
        flash(error.message, "danger")
    else:
        flash(_("Saved."), "success")
    return _back_to_list()


@bp.get("/users/<int:user_id>/disable")
@role_required(Role.ADMIN)
def disable_form(user_id):
    user = _load_user_or_404(user_id)
    return render_template("admin/confirm_disable.html", user=user, form=ConfirmForm())


@bp.post("/users/<int:user_id>/disable")
@role_required(Role.ADMIN)
def disable(user_id):
    return _set_disabled(user_id, True, _("The account of %(name)s is disabled and signed out."))


@bp.post("/users/<int:user_id>/enable")
@role_required(Role.ADMIN)
def enable(user_id):
    return _set_disabled(user_id, False, _("The account of %(name)s is enabled again."))


def _set_disabled(user_id, disabled, success):
    user = _load_user_or_404(user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        accounts.set_disabled(current_user, user.id, disabled, now=utcnow())
    except Refused as error:
        flash(error.message, "danger")
    else:
        flash(success % {"name": user.name}, "success")
    return redirect(url_for("admin.users"))
