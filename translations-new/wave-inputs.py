# ruff: noqa: B018, E501 (a dict literal read by scripts/fill_translations.py; Persian lines run long)
{
    "This image has too many pixels: a JPEG photo may have at most 25 megapixels, a PNG, WebP or GIF image at most 12.": "این تصویر پیکسل‌های بیش از حدی دارد: عکس JPEG حداکثر ۲۵ مگاپیکسل و تصویر PNG، WebP یا GIF حداکثر ۱۲ مگاپیکسل.",
    "“%(value)s” is not a whole number that can be used here.": "«%(value)s» عدد صحیحی نیست که این‌جا به کار بیاید.",
}
