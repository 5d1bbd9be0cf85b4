# ruff: noqa
# Persian for the strings of the season branch (scripts/fill_translations.py applies it).
{
    # Restrictions and their lifting
    "Choose the whole province or one county.": "کل استان یا یک شهرستان را انتخاب کنید.",
    "Before you record it": "پیش از ثبت",
    "This will hold %(bazaars)s bazaars; %(vendors)s registered vendors will be told.": "این محدودیت %(bazaars)s بازارچه را در تعلیق می‌گذارد و به %(vendors)s فروشندهٔ ثبت‌نام‌کرده خبر داده می‌شود.",
    "Nothing is recorded yet. If you chose a document, choose it again before recording.": "هنوز چیزی ثبت نشده است. اگر سندی انتخاب کرده بودید، پیش از ثبت دوباره انتخابش کنید.",
    "Preview the bazaars it holds": "پیش‌نمایش بازارچه‌هایی که در تعلیق می‌روند",
    "Decision %(ref)s of %(body)s is already lifted": "مصوبهٔ %(ref)s %(body)s قبلاً رفع شده است",
    "It was lifted %(date)s; the bazaars it held were released then.": "این محدودیت در %(date)s رفع شد و بازارچه‌هایی که در تعلیق بودند همان موقع آزاد شدند.",
    "Lifting decision: %(body)s, reference %(ref)s, %(date)s.": "مصوبهٔ رفع: %(body)s، شمارهٔ %(ref)s، %(date)s.",
    "Lifting document": "سند رفع محدودیت",
    "Back to the restrictions": "بازگشت به محدودیت‌ها",
    "The lifting decision": "مصوبهٔ رفع محدودیت",
}
