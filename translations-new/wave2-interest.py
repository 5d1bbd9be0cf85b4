# ruff: noqa: B018, E501 (a dict literal read by scripts/fill_translations.py; Persian lines run long)
{
    "Check your email: follow the link we sent to confirm, within 7 days.": "ایمیل خود را ببینید: پیوندی را که فرستادیم باز کنید و ظرف ۷ روز تأیید کنید.",
    "Check your phone's messages: follow the link we sent to confirm, within 7 days.": "پیامک‌های گوشی خود را ببینید: پیوندی را که فرستادیم باز کنید و ظرف ۷ روز تأیید کنید.",
    "Confirm your sign-up": "تأیید درخواست اطلاع‌رسانی",
    "Confirm: tell me when %(title)s goes ahead": "تأیید کنید: هنگام برگزاری «%(title)s» خبرم کنید",
    "Confirm, and we will send you one message when this bazaar goes ahead. If you did not ask for this, close this page; nothing happens.": "اگر تأیید کنید، هنگام برگزاری این بازارچه یک پیام برایتان می‌فرستیم. اگر شما درخواست نداده‌اید، این صفحه را ببندید؛ اتفاقی نمی‌افتد.",
    "Confirmed entries on the bazaars' interest lists.": "ثبت‌نام‌های تأییدشدهٔ فهرست اطلاع‌رسانی بازارچه‌ها.",
    "Confirmed: we will tell you when %(title)s goes ahead.": "تأیید شد: هنگام برگزاری «%(title)s» به شما خبر می‌دهیم.",
    "See the bazaar": "دیدن بازارچه",
    "Tell you when %(title)s goes ahead?": "هنگام برگزاری «%(title)s» به شما خبر دهیم؟",
    "This link was already used or has expired.": "این پیوند قبلاً استفاده شده یا منقضی شده است.",
    "To be told when %(title)s goes ahead, confirm within 7 days: %(url)s\nIf you did not ask for this, ignore this message; nothing happens.": "برای اینکه هنگام برگزاری «%(title)s» خبرتان کنیم، ظرف ۷ روز تأیید کنید: %(url)s\nاگر شما درخواست نداده‌اید، این پیام را نادیده بگیرید؛ اتفاقی نمی‌افتد.",
    "To be told when a bazaar goes ahead, sign up again on its page.": "برای اینکه از برگزاری بازارچه باخبر شوید، دوباره در صفحهٔ آن درخواست دهید.",
    "Yes, tell me": "بله، خبرم کنید",
    "You are already on the list: we will tell you when %(title)s goes ahead.\nTo leave the list: %(unsubscribe)s": "شما از قبل در فهرست هستید: هنگام برگزاری «%(title)s» به شما خبر می‌دهیم.\nبرای خروج از فهرست: %(unsubscribe)s",
    "You are on the list for %(title)s": "شما در فهرست اطلاع‌رسانی «%(title)s» هستید",
}
