# ruff: noqa
# Persian for the strings of the queue branch (scripts/fill_translations.py applies it).
{
    "Back to imports": "بازگشت به ورود داده‌ها",
    "Checking rows": "در حال بررسی سطرها",
    "Failed: nothing imported": "ناموفق: چیزی وارد نشد",
    "File": "پرونده",
    "Files here may be at most %(size)s MB.": "حجم پرونده در اینجا حداکثر %(size)s مگابایت است.",
    "Files may be up to %(size)s MB. The file is checked and imported in the background; its page shows how far it has got.": "حجم پرونده تا %(size)s مگابایت مجاز است. پرونده در پس‌زمینه بررسی و وارد می‌شود و صفحهٔ آن نشان می‌دهد کار تا کجا پیش رفته است.",
    "Import #%(id)s": "ورود داده شمارهٔ %(id)s",
    "Import files may be at most %(size)s MB; split the file and try again.": "حجم پروندهٔ ورود داده حداکثر %(size)s مگابایت است؛ پرونده را چند بخش کنید و دوباره بفرستید.",
    "Imported": "وارد شد",
    "Recent imports": "ورودهای اخیر",
    "Refused: nothing imported": "رد شد: چیزی وارد نشد",
    "Rows checked": "سطرهای بررسی‌شده",
    "Rows written": "سطرهای ثبت‌شده",
    "The first %(shown)s problems are listed.": "%(shown)s اشکال نخست فهرست شده است.",
    "The import stopped because of an error on our side; nothing was imported. Try again, or tell the secretariat.": "ورود داده به‌سبب خطایی از سوی ما متوقف شد و چیزی وارد نشد. دوباره تلاش کنید یا به دبیرخانه خبر دهید.",
    "There is no such import.": "چنین ورود داده‌ای وجود ندارد.",
    "This page updates itself until the import has finished. You may leave it; the import goes on.": "این صفحه تا پایان ورود داده خودبه‌خود به‌روز می‌شود. می‌توانید از آن بیرون بروید؛ ورود داده ادامه می‌یابد.",
    "Uploaded": "زمان بارگذاری",
    "Waiting to start": "در انتظار شروع",
    "Writing": "در حال ثبت",
}
