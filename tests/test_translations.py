"""Every user-visible string has a Persian translation (Persian is the first language)."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
KEYWORDS = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "_l": None,
    "lazy_gettext": None,
    "N_": None,
}


def extracted_ids():
    ids = set()
    for folder, method in (("bazaar", "python"), ("templates", "jinja2")):
        for _name, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder,
            [(f"**.{'py' if method == 'python' else 'html'}", method)],
            keywords=KEYWORDS,
        ):
            ids.add(message if isinstance(message, str) else message[0])
    return ids


def test_every_message_has_a_persian_translation():
    with open(ROOT / "bazaar/translations/fa/LC_MESSAGES/messages.po", "rb") as handle:
        catalogue = read_po(handle)
    translated = {m.id for m in catalogue if m.id and m.string and "fuzzy" not in m.flags}
    missing = sorted(extracted_ids() - translated)
    assert missing == [], f"run `make extract-messages` and translate: {missing[:10]}"
