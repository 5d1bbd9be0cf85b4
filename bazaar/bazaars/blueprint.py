"""The bazaars blueprint, and the status words and permissions every template reads."""

from flask import Blueprint

from bazaar.i18n import current_language
from bazaar.services.bazaars import rules

bp = Blueprint("bazaars", __name__, url_prefix="/bazaars")


@bp.app_template_global()
def bazaar_status_label(status):
    """Return a bazaar status's name in the current language."""
    return rules.label(status, current_language())


@bp.app_template_global()
def bazaar_status_colour(status):
    return rules.COLOURS[status]


# What a bazaar's state allows, asked by the templates in the words of the rules module.
for rule in (rules.may_subscribe, rules.may_apply, rules.may_change):
    bp.add_app_template_global(rule)
