"""The plan blueprint, shared by its view modules; template filters the plan pages use."""

from flask import Blueprint

from bazaar.i18n import current_language
from bazaar.services import statistics

bp = Blueprint("plan", __name__, url_prefix="/plan")


@bp.app_template_filter("publisher")
def publisher(snapshot):
    """Who published a snapshot, in the reader's language (a name, or the monthly schedule)."""
    return statistics.publisher(snapshot, current_language())


@bp.app_context_processor
def _labels():
    # The plan's words for states and kinds, for its pages and the committee page's share.
    from bazaar.services.plan import rules

    return {
        "state_labels": rules.STATE_LABELS,
        "entry_status_labels": rules.STATUS_LABELS,
        "entry_kind_labels": rules.KIND_LABELS,
    }
