"""Admins list and edit the official fields, product categories and the province's regions."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms import BooleanField, StringField
from wtforms.validators import DataRequired, Length

from bazaar.access import role_required
from bazaar.errors import Refused
from bazaar.forms import AppForm, IdSelectField, attach_error, id_choices
from bazaar.i18n import current_language
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.services import reference

bp = Blueprint("reference", __name__, url_prefix="/reference")
KINDS = {"fields": _l("Fields"), "categories": _l("Product categories"), "regions": _l("Regions")}


class ItemForm(AppForm):
    code = StringField(_l("Code"), validators=[DataRequired(), Length(max=40)])
    name_fa = StringField(_l("Name in Persian"), validators=[DataRequired(), Length(max=120)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=120)])
    starred = BooleanField(_l("Starred: needs a health ID"))
    parent_id = IdSelectField(_l("Parent (empty for a top-level item)"))


def _form(kind, item=None):
    form = ItemForm(obj=item)
    if kind == "fields":
        del form.parent_id
    else:
        del form.starred
        parents = (
            reference.list_top_categories() if kind == "categories" else reference.list_counties()
        )
        form.parent_id.choices = id_choices(parents, current_language(), blank=_("None"))
    return form


def _kind_or_404(kind):
    if kind not in KINDS:
        abort(404)


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    return render_template(
        "reference/index.html",
        fields=reference.list_fields(),
        categories=reference.list_top_categories(),
        counties=reference.list_counties(),
        kinds=KINDS,
    )


@bp.get("/<kind>/new")
@role_required(Role.ADMIN)
def create_form(kind):
    _kind_or_404(kind)
    return render_template(
        "reference/edit.html", form=_form(kind), kind=kind, item=None, kinds=KINDS
    )


@bp.get("/<kind>/<int:item_id>")
@role_required(Role.ADMIN)
def edit_form(kind, item_id):
    _kind_or_404(kind)
    item = reference.get_reference_item(kind, item_id)
    return render_template(
        "reference/edit.html", form=_form(kind, item), kind=kind, item=item, kinds=KINDS
    )


@bp.post("/<kind>/new", defaults={"item_id": None})
@bp.post("/<kind>/<int:item_id>")
@role_required(Role.ADMIN)
def save(kind, item_id):
    _kind_or_404(kind)
    form = _form(kind)
    if form.validate_on_submit():
        try:
            reference.save_reference_item(
                current_user,
                kind,
                item_id,
                code=form.code.data,
                name_fa=form.name_fa.data,
                name_en=form.name_en.data,
                starred=form.starred.data if "starred" in form else False,
                parent_id=form.parent_id.data if "parent_id" in form else None,
                now=utcnow(),
            )
        except Refused as error:
            attach_error(
                form, error, {"reference.code_taken": "code", "reference.bad_parent": "parent_id"}
            )
        else:
            flash(_("Saved."), "success")
            return redirect(url_for("reference.index"))
    return render_template("reference/edit.html", form=form, kind=kind, item=None, kinds=KINDS), 400
