"""The signed-in user's notifications."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from bazaar.access import get_accessible_or_404
from bazaar.forms import AppForm
from bazaar.models import Message
from bazaar.models.types import utcnow
from bazaar.services import notifications

bp = Blueprint("notifications", __name__, url_prefix="/notifications")


@bp.get("/")
@login_required
def index():
    page = request.args.get("page", 1, type=int)
    pagination = notifications.list_notifications(
        current_user, page, current_app.config["ITEMS_PER_PAGE"]
    )
    return render_template("notifications/index.html", page_obj=pagination, form=AppForm())


@bp.post("/<int:message_id>/read")
@login_required
def mark_read(message_id):
    message = get_accessible_or_404(Message, message_id)
    if not AppForm().validate_on_submit():
        abort(400)
    notifications.mark_read(current_user, message.id, now=utcnow())
    return redirect(url_for("notifications.index"))


@bp.post("/read-all")
@login_required
def mark_all_read():
    if not AppForm().validate_on_submit():
        abort(400)
    notifications.mark_all_read(current_user, now=utcnow())
    return redirect(url_for("notifications.index"))
