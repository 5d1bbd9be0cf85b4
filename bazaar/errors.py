"""Domain exceptions and the one table of their translatable messages."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "account.identifier_taken": _l("An account with this email or mobile number already exists."),
    "account.identifier_required": _l("Enter an email address or a mobile number."),
    "account.invalid_mobile": _l("Enter an Iranian mobile number such as 09121234567."),
    "account.invalid_email": _l("Enter a valid email address."),
    "account.bad_credentials": _l("The email/mobile or password is not correct."),
    "account.locked": _l("Too many failed attempts. Try again in a few minutes."),
    "account.wrong_password": _l("The current password is not correct."),
    "account.reset_link_invalid": _l("This password reset link is invalid or has expired."),
    "account.unknown_role": _l("Unknown role."),
    "account.not_found": _l("No such account."),
    "account.cannot_change_self": _l("You cannot change your own role or disable yourself."),
    "password.too_short": _l("The password must have at least %(min)s characters."),
    "password.too_long": _l("The password must have at most %(max)s characters."),
    "password.common": _l("This password is too common. Choose one that is harder to guess."),
    "password.mismatch": _l("The two passwords do not match."),
    "notification.not_found": _l("No such notification."),
    "reference.not_found": _l("No such item."),
    "reference.incomplete": _l("Enter a code and a name in both languages."),
    "reference.code_taken": _l("Another item already has this code."),
    "reference.bad_parent": _l("Choose a valid parent."),
    "image.not_an_image": _l(
        "This file is not an image we can read. Upload a JPEG, PNG or WebP photo."
    ),
    "image.too_many_pixels": _l("This image has too many pixels (at most 25 megapixels)."),
    "image.too_large": _l("Files may be at most 5 MB. Choose a smaller file and try again."),
    "image.too_many_photos": _l("A product can have at most 5 photos."),
    "vendor.not_found": _l("No such vendor."),
    "vendor.already_has_profile": _l("This account already has a vendor profile."),
    "vendor.required": _l("This field is required."),
    "vendor.invalid_mobile": _l("Enter an Iranian mobile number such as 09121234567."),
    "vendor.bad_county": _l("Choose a county from the list."),
    "vendor.bad_district": _l("The district must be in the chosen county."),
    "vendor.bad_field": _l("Choose a field from the list."),
    "vendor.licence_incomplete": _l("A licence needs its number and expiry date."),
    "vendor.licence_dates": _l("The licence must expire after it was issued."),
    "vendor.health_id_required": _l("This field needs a health ID and its expiry date."),
    "vendor.cannot_submit": _l("This profile cannot be sent for review now."),
    "vendor.bad_transition": _l("This vendor cannot move to that status now."),
    "vendor.reason_required": _l("Give a reason; the vendor will see it."),
    "vendor.not_public": _l("This vendor is not verified yet."),
    "product.not_found": _l("No such product."),
    "product.name_required": _l("Enter the product's name."),
    "product.bad_category": _l("Choose a category from the list."),
    "product.bad_price": _l("Enter a price in toman: a whole number, 0 or more."),
    "product.unit_required": _l("Enter a unit, such as kg, jar or piece."),
    "product.bad_availability": _l("Choose an availability from the list."),
    "product.no_vendor_profile": _l("Create your vendor profile first."),
    "import.not_utf8": _l("The file is not UTF-8 text. Save it as “CSV UTF-8” and try again."),
    "import.missing_columns": _l("The header row lacks these columns: %(columns)s"),
    "import.bad_csv": _l("The file is not valid CSV: %(detail)s"),
    "import.too_many_rows": _l("The file has more than %(max)s rows; split it."),
    "import.empty": _l("The file has no data rows."),
    "import.required": _l("This column must not be empty."),
    "import.bad_mobile": _l("“%(value)s” is not an Iranian mobile number."),
    "import.bad_email": _l("“%(value)s” is not an email address."),
    "import.bad_date": _l("“%(value)s” is not a date (use ۱۴۰۵/۰۹/۱۵ or 2026-12-06)."),
    "import.unknown": _l("“%(value)s” matches no name or code in the reference data."),
    "import.unknown_vendor": _l(
        "No vendor has the reference “%(value)s”; import the vendors first."
    ),
    "import.health_id_required": _l("This field needs a health ID."),
    "import.duplicate_ref": _l("This reference already appears in row %(other)s."),
    "import.bad_price": _l("“%(value)s” is not a price in whole toman."),
    "import.bad_availability": _l(
        "“%(value)s” is not an availability (in_stock, to_order, unavailable)."
    ),
    "vendor.claim_invalid": _l(
        "This link is invalid, has expired, or the business was already claimed."
    ),
    "inquiry.empty": _l("Write your message and how the vendor can reach you."),
}


class DomainError(Exception):
    """A rule refused an action; `code` selects the message, `params` fill it in."""

    def __init__(self, code, **params):
        super().__init__(code)
        self.code = code
        self.params = params

    @property
    def message(self):
        """Return the message in the current language."""
        template = MESSAGES.get(self.code, self.code)
        return str(template) % self.params if self.params else str(template)

    def __str__(self):
        return f"{self.code} {self.params}" if self.params else self.code


class NotFound(DomainError):
    """The object does not exist, or the user may not see it."""


class Conflict(DomainError):
    """The action conflicts with the current state (taken, full, already done)."""


class Invalid(DomainError):
    """The input breaks a rule."""


class TooLarge(DomainError):
    """An upload is larger than allowed (answered with the 413 page)."""


class Throttled(DomainError):
    """Too many attempts; try again later."""
