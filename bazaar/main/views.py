"""Home page, language switch, and what every page needs from the layout."""

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_login import current_user

from bazaar.access import safe_next
from bazaar.accounts.forms import LogoutForm
from bazaar.forms import AppForm
from bazaar.i18n import LANGUAGE_COOKIE, current_language
from bazaar.models.types import utcnow
from bazaar.services import accounts, notifications

bp = Blueprint("main", __name__)


class LanguageForm(AppForm):
    """Only the CSRF token: the menu's language switch is a POST."""


@bp.app_context_processor
def _layout():
    unread = notifications.count_unread(current_user) if current_user.is_authenticated else 0
    province = current_app.config["PROVINCE_NAME"]
    return {
        # Never read the request body: the layout also wraps error pages (413 among them).
        "logout_form": lambda: LogoutForm(formdata=None),
        "language_form": lambda: LanguageForm(formdata=None),
        "unread_count": unread,
        "province_name": province.get(current_language(), province["fa"]),
    }


@bp.get("/")
def index():
    return render_template("main/index.html")


def _switch_to(code, target):
    if code not in current_app.config["LANGUAGES"]:
        abort(404)
    response = redirect(safe_next(target, url_for("main.index")))
    response.set_cookie(
        LANGUAGE_COOKIE,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        httponly=True,
        secure=request.is_secure,
    )
    return response


@bp.get("/language/<code>")
def language(code):
    """Show pages in this language from now on (a cookie only: a GET changes no data)."""
    return _switch_to(code, request.args.get("next"))


@bp.post("/language/<code>")
def set_language(code):
    """The menu's switch: also remember the language on the signed-in account."""
    if not LanguageForm().validate_on_submit():
        abort(400)
    response = _switch_to(code, request.form.get("next"))
    if current_user.is_authenticated:
        accounts.set_locale(current_user, code, now=utcnow())
    return response
