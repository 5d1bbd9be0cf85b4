"""The plan blueprint, shared by its view modules; template filters the plan pages use."""

from flask import Blueprint

from bazaar.i18n import current_language
from bazaar.services import statistics
from bazaar.services.plan import rules

bp = Blueprint("plan", __name__, url_prefix="/plan")


@bp.app_template_filter("publisher")
def publisher(snapshot):
    """Who published a snapshot, in the reader's language (a name, or the monthly schedule)."""
    return statistics.publisher(snapshot, current_language())


# The plan's words for states and kinds, for its pages, its macros and the committee page.
bp.add_app_template_global(rules.STATE_LABELS, "state_labels")
bp.add_app_template_global(rules.STATUS_LABELS, "entry_status_labels")
bp.add_app_template_global(rules.KIND_LABELS, "entry_kind_labels")
