# The follow-up status "Open" (msgctxt "follow-up status") is «باز»; it shares its msgid with
# the verb "Open" («باز کردن»), which this dict cannot tell apart, so it is set in the .po
# directly (see tests/services/test_followup_rules.py).
{  # noqa: B018 (a dict literal read by scripts/fill_translations.py)
    "Blocked": "متوقف",
    "Done": "انجام‌شده",
    "In progress": "در دست انجام",
    "Follow-ups": "پیگیری‌ها",
    "No follow-up yet.": "هنوز پیگیری‌ای ثبت نشده است.",
}
