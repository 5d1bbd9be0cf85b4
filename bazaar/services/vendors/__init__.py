"""Vendors: profiles, papers, the organisers' verification decisions and reviews of changes.

`records` checks a profile and says which fields the organisers verify; `profile` saves what
the vendor types (changes to verified fields wait in a VendorChange); `changes` is the
organisers' review of those; `review` their verification decisions; `papers` expiry warnings.
"""

from bazaar.services.vendors.changes import (
    approve_change,
    change_rows,
    count_pending_changes,
    find_latest_change,
    return_change,
)
from bazaar.services.vendors.papers import PAPER_LABELS, WARN_DAYS, paper_flags, warn_about_papers
from bazaar.services.vendors.profile import (
    profile_values,
    save_profile,
    submit_profile,
    thumbnail_name,
)
from bazaar.services.vendors.records import (
    PROFILE_FIELDS,
    REVIEWED_FIELDS,
    clean_profile,
    find_vendor_for_user,
    get_public_vendor,
    get_vendor,
    is_under_review,
    product_search_text,
    profile_version,
    search_text_for_vendor,
)
from bazaar.services.vendors.review import (
    SORTS,
    TRANSITIONS,
    count_by_status,
    decide_vendor,
    list_vendors,
)

__all__ = [
    "PAPER_LABELS",
    "PROFILE_FIELDS",
    "REVIEWED_FIELDS",
    "SORTS",
    "TRANSITIONS",
    "WARN_DAYS",
    "approve_change",
    "change_rows",
    "clean_profile",
    "count_by_status",
    "count_pending_changes",
    "decide_vendor",
    "find_latest_change",
    "find_vendor_for_user",
    "get_public_vendor",
    "get_vendor",
    "is_under_review",
    "list_vendors",
    "paper_flags",
    "product_search_text",
    "profile_values",
    "profile_version",
    "return_change",
    "save_profile",
    "search_text_for_vendor",
    "submit_profile",
    "thumbnail_name",
    "warn_about_papers",
]
