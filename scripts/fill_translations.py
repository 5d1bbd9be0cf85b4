"""Fill a .po catalogue from a Python dict literal of msgid -> translation; list what is left.

make extract-messages
.venv/bin/python scripts/fill_translations.py bazaar/translations/fa/LC_MESSAGES/messages.po new.py
"""

import ast
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def main(po_path, dict_path):
    translations = ast.literal_eval(Path(dict_path).read_text(encoding="utf-8"))
    with open(po_path, "rb") as handle:
        catalogue = read_po(handle, locale="fa")
    missing = []
    for message in catalogue:
        if not message.id:
            continue
        if message.id in translations:
            message.string = translations[message.id]
            message.flags.discard("fuzzy")
        elif not message.string:
            missing.append(message.id)
    with open(po_path, "wb") as handle:
        write_po(handle, catalogue, width=100, no_location=True)
    sys.stdout.write(f"missing: {len(missing)}\n" + "".join(f"{m!r}\n" for m in missing))


if __name__ == "__main__":
    main(*sys.argv[1:3])
