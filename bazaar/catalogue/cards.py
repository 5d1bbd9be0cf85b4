"""Product cards rendered from cached fragments, and what every catalogue page repeats.

A card is a pure function of its row (templates/catalogue/_card.html shows only the columns of
services.browse.card_columns) and the language, so its fragment is cached under the product's
id and a digest of exactly those values (its name, price, unit, `updated_at`, vendor, county
and photo): any change to what the card shows gives a new key, and a stale fragment is never
served; old ones age out of the cache. The search terms are highlighted in the title after the
fragment is read, so one fragment serves every search.

Reference lists every page repeats (counties, fields) are kept per process and per catalogue
version, as tuples, so no page loads them as ORM entities.
"""

import zlib

from flask import current_app
from markupsafe import Markup, escape

from bazaar.extensions import cache
from bazaar.i18n import current_language
from bazaar.services import reference, search
from bazaar.services.catalogue_version import catalogue_version

# Fragments live an hour after their last write: popular products stay, the rest age out.
CARD_SECONDS = 3600
TITLE = "\x00title\x00"  # where the (highlighted) name goes; never in user text (NUL)
PLACE = Markup(TITLE)  # noqa: S704 (a constant)


def reference_lists(language):
    """{"counties": [(id, name)], "fields": [(id, name)], "county_names": {id: name}}.

    Read once per process and catalogue version (an admin's edit bumps the version).
    """
    store = current_app.extensions.setdefault("catalogue_reference", {})
    key = (language, catalogue_version())
    if key not in store:
        store.clear()  # one version at a time: the store never grows
        counties = [(c.id, c.name_in(language)) for c in reference.list_counties()]
        fields = [(f.id, f.name_in(language)) for f in reference.list_fields()]
        store[key] = {"counties": counties, "fields": fields, "county_names": dict(counties)}
    return store[key]


def _digest(row, county):
    return format(zlib.crc32(repr((*row, county)).encode()), "08x")


def product_cards(rows, terms=()):
    """The cards of these card rows as one piece of HTML, each from the cache when it can be."""
    if not rows:
        return Markup("")
    language = current_language()
    names = reference_lists(language)["county_names"]
    counties = [names.get(row.county_id, "") for row in rows]
    keys = [
        f"card:{language}:{row.id}:{_digest(row, county)}"
        for row, county in zip(rows, counties, strict=True)
    ]
    found = cache.get_many(*keys)
    template = None
    fresh, pieces = {}, []
    for key, row, county, html in zip(keys, rows, counties, found, strict=True):
        if html is None:
            template = template or current_app.jinja_env.get_template("catalogue/_card.html")
            html = template.render(product=row, county=county, title=PLACE)
            fresh[key] = html
        title = search.highlight(row.name, terms) if terms else escape(row.name)
        pieces.append(html.replace(TITLE, title))
    if fresh:
        cache.set_many(fresh, timeout=CARD_SECONDS)
    return Markup("".join(pieces))  # noqa: S704 (our own templates' output, names escaped)
