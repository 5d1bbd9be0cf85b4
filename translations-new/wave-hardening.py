# ruff: noqa: B018, E501 (a dict literal read by scripts/fill_translations.py; Persian lines run long)
{
    "Hello %(name)s, someone tried to create a new Bazaar account with %(identifier)s, which already belongs to your account. If it was you, sign in: %(sign_in)s\nIf you forgot your password, reset it: %(reset)s\nIf it was not you, ignore this message; nothing was changed.": "%(name)s گرامی، کسی کوشید با %(identifier)s که به حساب شما تعلق دارد، حساب تازه‌ای در بازارچه بسازد. اگر خودتان بودید، وارد شوید: %(sign_in)s\nاگر گذرواژه‌تان را فراموش کرده‌اید، آن را بازنشانی کنید: %(reset)s\nاگر شما نبودید، این پیام را نادیده بگیرید؛ چیزی تغییر نکرده است.",
    "Someone tried to register with your address": "کسی کوشید با نشانی شما ثبت‌نام کند",
    "This account is disabled. Ask the organisers to enable it again.": "این حساب غیرفعال است. از برگزارکنندگان بخواهید دوباره فعالش کنند.",
}
