# ruff: noqa
# Persian for the strings of the imports branch (scripts/fill_translations.py applies it).
{
    "The import stopped because of an error on our side; nothing was imported. Upload it again, or tell the secretariat.": "ورود داده به‌سبب خطایی از سوی ما متوقف شد و چیزی وارد نشد. پرونده را دوباره بارگذاری کنید یا به دبیرخانه خبر دهید.",
    "The import was interrupted (the server stopped); nothing was imported. Upload it again.": "ورود داده نیمه‌کاره ماند (کار سرور متوقف شد) و چیزی وارد نشد. پرونده را دوباره بارگذاری کنید.",
}
