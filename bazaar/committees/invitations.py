"""The invitation link: someone made responsible for follow-ups claims their account."""

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from bazaar.access import start_session
from bazaar.committees.forms import InvitationForm
from bazaar.committees.views import bp
from bazaar.errors import Refused
from bazaar.forms import attach_error
from bazaar.models.types import utcnow
from bazaar.services import invitations


@bp.get("/invitation/<token>")
def invitation_form(token):
    """Show who invited them and for what, and ask for their name and a password."""
    user = invitations.find_invited_user(token, utcnow())
    if user is None:
        flash(_("This invitation link is invalid, has expired or was already used."), "danger")
        return redirect(url_for("main.index"))
    form = InvitationForm(name=user.name)
    return render_template("committees/invitation.html", form=form, invited=user, token=token)


@bp.post("/invitation/<token>")
def accept_invitation(token):
    """Set the invited account's name and password, sign in, and show their follow-ups."""
    user = invitations.find_invited_user(token, utcnow())
    if user is None:
        abort(404)
    form = InvitationForm()
    if form.validate_on_submit():
        try:
            user = invitations.accept_invitation(
                token, name=form.name.data, password=form.password.data, now=utcnow()
            )
        except Refused as error:
            attach_error(form, error, {"password.": "password"})
        else:
            start_session(user)
            flash(_("Welcome! Your account is ready; these follow-ups are yours."), "success")
            return redirect(url_for("followups.index"))
    page = render_template("committees/invitation.html", form=form, invited=user, token=token)
    return page, 400
