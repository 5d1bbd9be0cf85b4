# ruff: noqa: B018, E501 (a dict literal read by scripts/fill_translations.py; Persian lines run long)
{
    "More than %(count)s products": "بیش از %(count)s محصول",
    "Only the first %(count)s results are shown. Narrow them with a filter or a more specific word.": "فقط %(count)s نتیجهٔ نخست نمایش داده می‌شود. با یک فیلتر یا واژه‌ای دقیق‌تر جست‌وجو را محدود کنید.",
}
