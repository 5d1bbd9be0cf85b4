# ruff: noqa: B018, E501
{
    "Many products match these words: the filters and the sort apply to the newest %(count)s of them. Add a word to narrow the search.": "محصولات زیادی با این واژه‌ها پیدا شد: فیلترها و ترتیب نمایش فقط روی %(count)s محصولِ تازه‌ترِ آن‌ها اعمال می‌شود. برای جست‌وجوی دقیق‌تر، واژهٔ دیگری بیفزایید.",
}
