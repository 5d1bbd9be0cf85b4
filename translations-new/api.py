{  # noqa: B018 (a dict literal read by scripts/fill_translations.py)
    "A valid access token is needed.": "یک توکن دسترسی معتبر لازم است.",
    "Enter a date such as 2026-12-10.": "تاریخی مانند 2026-12-10 وارد کنید.",
    "Enter a list.": "یک فهرست وارد کنید.",
    "Enter text.": "متن وارد کنید.",
    "Nothing was found at this address.": "در این نشانی چیزی پیدا نشد.",
    "Send the request body as JSON.": "بدنهٔ درخواست را به‌صورت JSON بفرستید.",
    "Some values are not valid.": "برخی از مقدارها درست نیستند.",
    "Something went wrong on our side.": "در سمت ما خطایی پیش آمد.",
    "The action conflicts with the current state.": "این کار با وضعیت کنونی سازگار نیست.",
    "The request body must be a JSON object.": "بدنهٔ درخواست باید یک شیء JSON باشد.",
    "The request is not valid.": "درخواست درست نیست.",
    "The request is too large.": "درخواست بیش از حد بزرگ است.",
    "This address does not accept this method.": "این نشانی این روش درخواست را نمی‌پذیرد.",
    "This address only answers in JSON.": "این نشانی فقط به JSON پاسخ می‌دهد.",
    "This field is not expected here.": "این فیلد در اینجا پذیرفته نمی‌شود.",
    "This value is not valid here.": "این مقدار در اینجا درست نیست.",
    "Too many requests. Wait a little and try again.": (
        "درخواست‌ها بیش از حد است. کمی صبر کنید و دوباره تلاش کنید."
    ),
    "Your account may not do this.": "حساب شما اجازهٔ این کار را ندارد.",
}
