"""Account pages: register, sign in, sign out, change and reset the password."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, logout_user

from bazaar.access import safe_next, start_session
from bazaar.accounts.forms import (
    ChangePasswordForm,
    LoginForm,
    LogoutForm,
    RegisterForm,
    ResetForm,
    ResetRequestForm,
)
from bazaar.errors import Refused, Throttled
from bazaar.extensions import limiter
from bazaar.forms import attach_error
from bazaar.i18n import current_language
from bazaar.limits import configured, per_client, per_target
from bazaar.links import external_url
from bazaar.models.types import utcnow
from bazaar.services import accounts, login_throttle
from bazaar.text import normalize_email, normalize_mobile

bp = Blueprint("accounts", __name__, url_prefix="/accounts")

FIELDS = {
    "account.invalid_email": "email",
    "account.identifier_required": "email",
    "account.invalid_mobile": "mobile",
    "account.wrong_password": "current",
    "password.": "password",
}


def _account_key():
    # Per account *and* client: a stranger's attempts never use up the owner's allowance.
    identifier = login_throttle.throttle_key(request.form.get("identifier", ""))
    return f"account:{identifier}|{get_remote_address()}"


def _typed_email():
    return normalize_email(request.form.get("email"))


def _typed_mobile():
    return normalize_mobile(request.form.get("mobile") or "")


@bp.get("/register")
def register_form():
    form = RegisterForm()
    # The home page's "Register as a vendor" arrives with ?role=vendor: start from that choice.
    if request.args.get("role") in [choice.value for choice in form.role.choices]:
        form.role.data = request.args["role"]
    return render_template("accounts/register.html", form=form)


@bp.post("/register")
@per_client("REGISTER_LIMIT_PER_IP")
@per_target("REGISTER_LIMIT_PER_TARGET", _typed_email)
@per_target("REGISTER_LIMIT_PER_TARGET", _typed_mobile)
def register():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            user = accounts.sign_up(
                name=form.name.data,
                email=form.email.data,
                mobile=form.mobile.data,
                password=form.password.data,
                role=form.role.data,
                locale=current_language(),
                now=utcnow(),
            )
        except Refused as error:
            attach_error(form, error, FIELDS)
        else:
            # A taken address gets the same answer; its owner was told by a message.
            if user is not None:
                start_session(user)
            flash(_("Welcome! Your account is ready."), "success")
            return redirect(url_for("main.index"))
    return render_template("accounts/register.html", form=form), 400


@bp.get("/login")
def login_form():
    form = LoginForm()
    return render_template("accounts/login.html", form=form, next=request.args.get("next", ""))


@bp.post("/login")
@per_client("LOGIN_LIMIT_PER_IP")
@limiter.limit(configured("LOGIN_LIMIT_PER_ACCOUNT"), key_func=_account_key)
def login():
    form = LoginForm()
    target = request.args.get("next", "")
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                form.identifier.data,
                form.password.data,
                now=utcnow(),
                client=get_remote_address(),
            )
        except Throttled as error:
            return render_template("errors/error.html", code=429, message=error.message), 429
        except Refused as error:
            form.form_errors.append(error.message)
        else:
            start_session(user)
            flash(_("You are signed in."), "success")
            return redirect(safe_next(target, url_for("main.index")))
    return render_template("accounts/login.html", form=form, next=target), 400


@bp.post("/logout")
@login_required
def logout():
    if not LogoutForm().validate_on_submit():
        abort(400)
    accounts.end_sessions(current_user, now=utcnow())
    logout_user()
    session.clear()
    flash(_("You are signed out."), "info")
    return redirect(url_for("main.index"))


@bp.get("/password")
@login_required
def password_form():
    return render_template("accounts/password.html", form=ChangePasswordForm())


@bp.post("/password")
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.change_password(
                current_user, current=form.current.data, new=form.password.data, now=utcnow()
            )
        except Refused as error:
            attach_error(form, error, FIELDS)
        else:
            start_session(user)
            flash(_("Your password was changed. Other devices were signed out."), "success")
            return redirect(url_for("main.index"))
    return render_template("accounts/password.html", form=form), 400


@bp.get("/reset")
def reset_request_form():
    return render_template("accounts/reset_request.html", form=ResetRequestForm())


@bp.post("/reset")
@per_client("RESET_LIMIT_PER_IP")
def reset_request():
    form = ResetRequestForm()
    if not form.validate_on_submit():
        return render_template("accounts/reset_request.html", form=form), 400
    accounts.request_password_reset(
        form.identifier.data,
        now=utcnow(),
        link_for=lambda token: external_url("accounts.reset_form", token=token),
        most_per_hour=current_app.config["RESET_MESSAGES_PER_HOUR"],
    )
    flash(_("If an account has this email or mobile number, a reset link is on its way."), "info")
    return redirect(url_for("accounts.login_form"))


@bp.get("/reset/<token>")
def reset_form(token):
    if accounts.find_user_by_reset_token(token, utcnow()) is None:
        flash(_("This password reset link is invalid or has expired."), "danger")
        return redirect(url_for("accounts.reset_request_form"))
    return render_template("accounts/reset.html", form=ResetForm(), token=token)


@bp.post("/reset/<token>")
def reset(token):
    form = ResetForm()
    if form.validate_on_submit():
        try:
            accounts.reset_password(token, form.password.data, now=utcnow())
        except Refused as error:
            attach_error(form, error, FIELDS)
        else:
            flash(_("Your password was changed. Sign in with the new one."), "success")
            return redirect(url_for("accounts.login_form"))
    return render_template("accounts/reset.html", form=form, token=token), 400
