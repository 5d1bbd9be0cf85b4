"""Persian-aware full-text search: SQLite FTS5, or PostgreSQL tsvector, over normalised text."""

import re

from markupsafe import Markup, escape
from sqlalchemy import text

from bazaar.extensions import db
from bazaar.services.counts import kept_count
from bazaar.text import normalize_search

MAX_TERMS = 8
# A term matching at most this many products is ranked by relevance; a broader one is shown
# newest first (see product_matches).
RANKED_MATCHES = 1000
# A broad term with a filter or a price sort is applied to this many of its newest matches:
# each match costs a product lookup, so the work stays bounded however common the word is.
SEARCH_WINDOW = 5000
MAX_TERM_LENGTH = 40
# The last word is matched as a prefix (what is still being typed) from two letters on: every
# word that begins with one letter is a large part of the index, read for nothing («م»: 60 ms
# for each read at a million products). A single letter is matched as a whole word.
MIN_PREFIX = 2
_WORD = re.compile(r"\w+")
# For highlighting the original text: a word keeps its ZWNJ, diacritics and kashida.
_SHOWN_WORD = re.compile(r"[\w\u200c\u064b-\u065f\u0670\u0640]+")


def query_terms(query):
    """Split a typed query into normalised terms; punctuation and operators fall away."""
    terms = _WORD.findall(normalize_search(query or "")[:500])
    return [term[:MAX_TERM_LENGTH] for term in terms if term][:MAX_TERMS]


def fts5_match(terms):
    """Build an FTS5 MATCH string: every term quoted, the last one prefix-matched."""
    quoted = ['"' + term.replace('"', '""') + '"' for term in terms]
    if len(terms[-1]) >= MIN_PREFIX:
        quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(terms):
    """Build a PostgreSQL tsquery string: every term quoted, the last one prefix-matched."""
    quoted = ["'" + term.replace("'", "''") + "'" for term in terms]
    if len(terms[-1]) >= MIN_PREFIX:
        quoted[-1] += ":*"
    return " & ".join(quoted)


def is_postgres():
    return db.engine.dialect.name == "postgresql"


def match_ids(table, terms, *, ranked=True, newest=None, offset=0, floor=None):
    """Return a selectable of (id, rank) rows of `table` (products or vendors) matching terms.

    Rank is lower for better matches (bm25 on SQLite, negated ts_rank on PostgreSQL); with
    ranked=False it is 0 and nothing is scored. With `newest`, only that many of the newest
    matches (highest ids) are returned, after skipping `offset` of them; with `floor`, only
    matches whose id is at least that.
    """
    limit = f" ORDER BY id DESC LIMIT {int(newest)} OFFSET {int(offset)}" if newest else ""
    floor_sql = " AND id >= :floor" if floor is not None else ""
    values = {"floor": floor} if floor is not None else {}
    if is_postgres():
        rank = "-ts_rank(search_vector, to_tsquery('simple', :q))" if ranked else "0.0"
        return (
            text(
                f"SELECT id, {rank} AS rank "  # noqa: S608
                f"FROM {table} WHERE search_vector @@ to_tsquery('simple', :q){floor_sql}{limit}"
            )
            .bindparams(q=tsquery(terms), **values)
            .columns(id=db.Integer, rank=db.Float)
        )
    rank = f"bm25({table}_fts)" if ranked else "0.0"
    limit = limit.replace("BY id", "BY rowid")
    floor_sql = floor_sql.replace("id", "rowid")
    return (
        text(
            f"SELECT rowid AS id, {rank} AS rank FROM {table}_fts "  # noqa: S608
            f"WHERE {table}_fts MATCH :q{floor_sql}{limit}"
        )
        .bindparams(q=fts5_match(terms), **values)
        .columns(id=db.Integer, rank=db.Float)
    )


def window_floor(terms):
    """Return the id of the SEARCH_WINDOW-th newest product matching terms (kept per catalogue
    version): the window of a broad term is every match from there up."""
    last = match_ids("products", terms, ranked=False, newest=1, offset=SEARCH_WINDOW - 1)
    last = last.subquery()
    return kept_count(
        ("floor", tuple(terms), SEARCH_WINDOW),
        lambda: db.session.scalar(db.select(last.c.id)) or 0,
    )


def count_matches(table, terms, cap):
    """Count the rows of `table` matching terms, stopping at cap + 1 (the index only); the
    count is kept per catalogue version (services/counts.py)."""
    first = match_ids(table, terms, ranked=False).subquery()
    select = db.select(db.func.count()).select_from(db.select(first.c.id).limit(cap + 1).subquery())
    return kept_count(("matches", table, tuple(terms), cap), lambda: db.session.scalar(select))


def product_matches(terms, *, ranked, window=False, walk=False):
    """Return (CTE of matching product ids with a rank column, whether rank is meaningful,
    the number of matches in the index counted up to SEARCH_WINDOW + 1).

    The CTE is MATERIALIZED so that the database reads the search index first and joins the
    (few) matches to products, whatever else filters the page: a category filter must never
    make it walk the category and probe the index once per product.

    The rule for broad terms: ranking reads every match, so a term is ranked only when it
    matches at most RANKED_MATCHES products (counted from the index alone, stopping there).
    A broader term (a common word such as «خانگی») is shown newest first, which the index
    gives in its own row order without scoring anything: ranking tens of thousands of near-
    equal matches costs more than it tells the visitor.

    With `window` (the page is filtered or sorted by price) a broader term keeps only its
    SEARCH_WINDOW newest matches: a sparse filter or a price sort would otherwise look up every
    match's product. With `walk` as well (the page is in the index's own order, newest first)
    the window is given by its lowest id and not materialized: the database walks the index
    from the newest match down, checks each product and stops at the page (the caller keeps
    its filters from driving the plan instead); a price sort reads the window whole.
    """
    found = count_matches("products", terms, SEARCH_WINDOW)
    if ranked and found <= RANKED_MATCHES:
        ranked_ids = match_ids("products", terms)
        return ranked_ids.cte("matches").prefix_with("MATERIALIZED"), True, found
    if window and found > SEARCH_WINDOW and walk:
        walked = match_ids("products", terms, ranked=False, floor=window_floor(terms))
        return walked.cte("matches"), False, found
    if window and found > SEARCH_WINDOW:
        newest = match_ids("products", terms, ranked=False, newest=SEARCH_WINDOW)
        return newest.cte("matches").prefix_with("MATERIALIZED"), False, found
    every = match_ids("products", terms, ranked=False).cte("matches")
    if window:  # at most SEARCH_WINDOW matches, read first whatever filters or sort the page
        every = every.prefix_with("MATERIALIZED")
    return every, False, found


def highlight(value, terms):
    """Wrap the words of `value` that match a search term in <mark>, escaping the rest."""
    if not terms or not value:
        return escape(value or "")
    pieces = []
    last = 0
    for match in _SHOWN_WORD.finditer(value):
        word = normalize_search(match.group())
        if any(word.startswith(term) or term in word for term in terms):
            pieces.append(escape(value[last : match.start()]))
            pieces.append(Markup("<mark>%s</mark>") % match.group())
            last = match.end()
    pieces.append(escape(value[last:]))
    return Markup("").join(pieces)
