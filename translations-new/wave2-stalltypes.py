# ruff: noqa: B018, E501 (a dict literal read by scripts/fill_translations.py; Persian lines run long)
{
    "A stall type on the form is not one of this bazaar's.": "یکی از نوع‌های غرفهٔ این فرم از آنِ این بازارچه نیست.",
    "Clear a type's name to remove it. A type with applications cannot be removed: close it to new applications instead.": "برای حذف یک نوع غرفه، نامش را پاک کنید. نوعی که درخواست دارد حذف نمی‌شود؛ به‌جای آن، آن را به روی درخواست‌های تازه ببندید.",
    "Closed to new applications": "بسته به روی درخواست‌های تازه",
    "This stall type no longer takes applications.": "این نوع غرفه دیگر درخواست نمی‌پذیرد.",
    "Two stall types are named “%(name)s”; give each its own name.": "دو نوع غرفه نام «%(name)s» دارند؛ به هر کدام نامی جدا بدهید.",
    "closed to new applications": "دیگر درخواست نمی‌پذیرد",
    "“%(name)s” has applications, so it cannot be removed; close it to new applications instead.": "«%(name)s» درخواست دارد و حذف نمی‌شود؛ به‌جای آن، آن را به روی درخواست‌های تازه ببندید.",
}
