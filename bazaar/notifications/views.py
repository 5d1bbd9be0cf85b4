"""The signed-in user's notifications."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user, login_required
from sqlalchemy import event
from sqlalchemy.orm import Session

from bazaar.access import get_accessible_or_404, role_required
from bazaar.forms import AppForm
from bazaar.i18n import format_number
from bazaar.models import Delivery, Message, Role
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


@event.listens_for(Session, "after_commit")
def _count_committed(session):
    # The outbox service counts what it queues in session.info; only a commit makes it real.
    queued = session.info.pop("queued", 0)
    if queued and has_request_context():
        g.messages_queued = g.get("messages_queued", 0) + queued


@event.listens_for(Session, "after_rollback")
def _forget_rolled_back(session):
    session.info.pop("queued", None)


@bp.after_app_request
def say_queued(response):
    """After an organiser's action that queued messages, the next page says so: queued, not
    yet sent. Only organisers: a visitor's own flows (an interest-list sign-up) answer alike
    whatever was sent, so the count must not show there."""
    queued = g.get("messages_queued", 0)
    if (
        queued
        and 300 <= response.status_code < 400
        and current_user.is_authenticated
        and current_user.has_role(Role.ORGANISER)
    ):
        flash(
            gettext(
                "Queued for delivery: %(count)s messages. They go out within a minute; "
                "the organisers' outbox shows any that fail.",
                count=format_number(queued),
            ),
            "info",
        )
    return response


@bp.get("/outbox")
@role_required(Role.ORGANISER)
def outbox():
    """Show the organisers what went out, what waits and what failed (with the error)."""
    status = request.args.get("status", "")
    status = status if status in Delivery.__members__.values() else ""
    page = request.args.get("page", 1, type=int)
    return render_template(
        "notifications/outbox.html",
        page_obj=notifications.list_outbox(status, page, current_app.config["ITEMS_PER_PAGE"]),
        counts=notifications.count_outbox(),
        status=status,
    )
