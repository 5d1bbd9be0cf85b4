# ruff: noqa
# Persian for the strings of the web branch (scripts/fill_translations.py applies it).
{
    # Error pages: the request id to quote when reporting a problem
    "Reference code for the secretariat:": "کد پیگیری برای دبیرخانه:",
}
