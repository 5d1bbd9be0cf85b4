# ruff: noqa: B018, E501 (a dict literal read by scripts/fill_translations.py; Persian lines run long)
{
    "Leave the list": "خروج از فهرست",
    "Stay on the list": "در فهرست می‌مانم",
    "Stop messages about %(title)s?": "پیام‌های «%(title)s» دیگر فرستاده نشود؟",
    "You will no longer be told when this bazaar goes ahead or changes.": "دیگر از برگزاری یا تغییر این بازارچه باخبر نمی‌شوید.",
}
