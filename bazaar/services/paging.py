"""Pages of a catalogue listing whose count stops at a cap and whose depth is capped.

Counting every match on every page costs as much as the whole result set; a visitor needs to
know "more than 1,000", never the exact figure, and never pages past the thousandth result.
"""

import math

from flask_sqlalchemy.pagination import Pagination

from bazaar.extensions import db
from bazaar.services.counts import kept_count

MAX_RESULTS = 1000


class CappedPage(Pagination):
    """One page of rows; `total` stops at MAX_RESULTS + 1 and `more` says it did.

    `rows(limit, offset)` builds the page's select; `counted` selects what is counted (no
    order: the database counts from its most selective index). Pages past MAX_RESULTS are not
    queried: `too_deep` is set and the page is empty. With `count_key` (plain values naming
    what is counted) the count is kept per catalogue version (services/counts.py).
    """

    cap = MAX_RESULTS

    def __init__(self, rows, counted, page, per_page, total=None, count_key=None):
        self.count_key = count_key
        self.too_deep = False
        super().__init__(
            page=page,
            per_page=per_page,
            max_per_page=None,
            error_out=False,
            rows=rows,
            counted=counted,
            known_total=total,
        )

    def _query_items(self):
        if self._query_offset >= MAX_RESULTS:
            self.too_deep = True
            return []
        select = self._query_args["rows"](self.per_page, self._query_offset)
        return db.session.execute(select).all()

    def _query_count(self):
        if self._query_args["known_total"] is not None:
            return self._query_args["known_total"]
        if 0 < len(self.items) < self.per_page:
            return self._query_offset + len(self.items)  # the last page tells the count
        if not self.items and self.page == 1:
            return 0
        # The cap written into the statement (a parameter would leave SQLite planning blind).
        cap = db.literal_column(str(int(MAX_RESULTS + 1)))
        capped = self._query_args["counted"].limit(cap).subquery()
        select = db.select(db.func.count()).select_from(capped)
        if self.count_key is None:
            return db.session.scalar(select)
        what = ("page", MAX_RESULTS, *self.count_key)
        return kept_count(what, lambda: db.session.scalar(select))

    @property
    def more(self):
        """True when there are more results than MAX_RESULTS (the count stopped there)."""
        return self.total > MAX_RESULTS

    @property
    def pages(self):
        if not self.total:
            return 0
        return math.ceil(min(self.total, MAX_RESULTS) / self.per_page)
