"""Persian-aware full-text search: SQLite FTS5, or PostgreSQL tsvector, over normalised text."""

import re

from markupsafe import Markup, escape
from sqlalchemy import text

from bazaar.extensions import db
from bazaar.text import normalize_search

MAX_TERMS = 8
MAX_TERM_LENGTH = 40
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
    quoted[-1] += "*"
    return " ".join(quoted)


def tsquery(terms):
    """Build a PostgreSQL tsquery string: every term quoted, the last one prefix-matched."""
    quoted = ["'" + term.replace("'", "''") + "'" for term in terms]
    quoted[-1] += ":*"
    return " & ".join(quoted)


def is_postgres():
    return db.engine.dialect.name == "postgresql"


def match_ids(table, terms):
    """Return a selectable of (id, rank) rows of `table` (products or vendors) matching terms.

    Rank is lower for better matches (bm25 on SQLite, negated ts_rank on PostgreSQL).
    """
    if is_postgres():
        return (
            text(
                f"SELECT id, -ts_rank(search_vector, to_tsquery('simple', :q)) AS rank "  # noqa: S608
                f"FROM {table} WHERE search_vector @@ to_tsquery('simple', :q)"
            )
            .bindparams(q=tsquery(terms))
            .columns(id=db.Integer, rank=db.Float)
        )
    return (
        text(
            f"SELECT rowid AS id, bm25({table}_fts) AS rank FROM {table}_fts "  # noqa: S608
            f"WHERE {table}_fts MATCH :q"
        )
        .bindparams(q=fts5_match(terms))
        .columns(id=db.Integer, rank=db.Float)
    )


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
