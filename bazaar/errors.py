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


class Throttled(DomainError):
    """Too many attempts; try again later."""
