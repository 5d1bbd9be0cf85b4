"""Product cards rendered from cached fragments, and what every catalogue page repeats.

A card is a pure function of its row (templates/catalogue/_card.html shows only the columns of
services.browse.card_columns) and the language, so its fragment is cached under the product's
id and a digest of exactly those values (its name, price, unit, `updated_at`, vendor, county
and photo): any change to what the card shows gives a new key, and a stale fragment is never
served; old ones age out of the cache. The search terms are highlighted in the title after the
fragment is read, so one fragment serves every search.

Reference lists every page repeats (counties, fields) are kept per process and per catalogue
version, as tuples, so no page loads them as ORM entities; the filter form's options too, as
HTML, so no page renders them again.
"""

import zlib

from flask import current_app, get_template_attribute
from flask_babel import gettext
from markupsafe import Markup, escape

from bazaar.catalogue.forms import AVAILABILITY_LABELS
from bazaar.extensions import cache
from bazaar.forms import category_choices
from bazaar.i18n import current_language
from bazaar.services import reference, search
from bazaar.services.catalogue_version import catalogue_version

# Fragments live an hour after their last write: popular products stay, the rest age out.
CARD_SECONDS = 3600
TITLE = "\x00title\x00"  # where the (highlighted) name goes; never in user text (NUL)
PLACE = Markup(TITLE)  # noqa: S704 (a constant)


def reference_lists(language):
    """{"counties": [(id, name)], "fields": [(id, name)], "county_names": {id: name}}.

    Read once per process, language and catalogue version (an admin's edit bumps the version).
    """
    store = current_app.extensions.setdefault("catalogue_reference", {})
    version = catalogue_version()
    if store.get("version") != version:
        store.clear()  # one version at a time: the store never grows
        store["version"] = version
    if language not in store:
        counties = [(c.id, c.name_in(language)) for c in reference.list_counties()]
        fields = [(f.id, f.name_in(language)) for f in reference.list_fields()]
        store[language] = {"counties": counties, "fields": fields, "county_names": dict(counties)}
    return store[language]


def filter_options(language):
    """The options of the catalogue's filter selects as HTML, built once per language and
    catalogue version; `selected` marks the chosen one on each page."""
    lists = reference_lists(language)
    if "options" not in lists:
        categories = category_choices(language, blank=gettext("All categories"))
        sorts = [
            ("relevance", gettext("Best match")),
            ("newest", gettext("Newest")),
            ("price_asc", gettext("Price: low to high")),
            ("price_desc", gettext("Price: high to low")),
        ]
        lists["options"] = {
            "category": _options(
                (c.value, f"— {c.label}" if c.optgroup else c.label) for c in categories
            ),
            "field": _options([("", gettext("All fields")), *lists["fields"]]),
            "county": _options([("", gettext("All counties")), *lists["counties"]]),
            "availability": _options([("", gettext("Any")), *AVAILABILITY_LABELS.items()]),
            "sort": _options(sorts),
        }
    return lists["options"]


def _options(pairs):
    option = Markup('<option value="{}">{}</option>')
    return Markup("").join(option.format(value, label) for value, label in pairs)


def selected(options, value):
    """Mark the option whose value is `value` selected in options HTML (none when empty)."""
    if value is None or value == "":
        return options
    opening = Markup('<option value="{}">').format(value)
    return options.replace(opening, opening[:-1] + Markup(" selected>"), 1)


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


def inquiry_fields(form):
    """The inquiry form's fields as HTML; an empty form's (a visitor's, before any error) is
    rendered once per language and process, as it is the same on every product and vendor page.
    """
    if form.errors or any(form[name].data for name in ("sender", "contact", "text")):
        return _render_inquiry_fields(form)
    store = current_app.extensions.setdefault("inquiry_fields", {})
    language = current_language()
    if language not in store:
        store[language] = _render_inquiry_fields(form)
    return store[language]


def _render_inquiry_fields(form):
    field = get_template_attribute("_macros.html", "field")
    return Markup("\n").join(
        [
            field(form.sender, autocomplete="name"),
            field(form.contact, autocomplete="tel", dir="ltr"),
            field(form.text),
        ]
    )
