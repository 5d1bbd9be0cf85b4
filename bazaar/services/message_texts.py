"""What every message says: its subject and body in the recipient's language, and the
parameters that print themselves in that language (dates, moments, a decision's reason).

A message that asks someone to act says what happened, what to do, by when, and links to it.
"""

from flask_babel import lazy_gettext as _l

from bazaar.i18n import format_jalali_datetime


class ShownMoment:
    """A moment that prints itself (Jalali, Persian digits in fa) in the rendering language."""

    def __init__(self, value):
        self.value = value

    def __str__(self):
        return format_jalali_datetime(self.value)


class Lazy:
    """A parameter computed when the message is rendered, in the recipient's language."""

    def __init__(self, function, *args):
        self.function, self.args = function, args

    def __str__(self):
        return str(self.function(*self.args))


# Every kind of message, with its subject and body; rendered in the recipient's language.
TEMPLATES = {
    "welcome": (
        _l("Welcome to Bazaar"),
        _l("Hello %(name)s, your account is ready. You can sign in with %(identifier)s."),
    ),
    "password_reset": (
        _l("Reset your Bazaar password"),
        _l(
            "Hello %(name)s, to choose a new password open this link within an hour: "
            "%(url)s\nIf you did not ask for this, ignore this message."
        ),
    ),
    "registration_attempt": (
        _l("Someone tried to register with your address"),
        _l(
            "Hello %(name)s, someone tried to create a new Bazaar account with %(identifier)s, "
            "which already belongs to your account. If it was you, sign in: %(sign_in)s\n"
            "If you forgot your password, reset it: %(reset)s\n"
            "If it was not you, ignore this message; nothing was changed."
        ),
    ),
    "password_changed": (
        _l("Your Bazaar password was changed"),
        _l(
            "Hello %(name)s, your password was changed and every other session was signed "
            "out. If this was not you, reset your password now."
        ),
    ),
    "vendor_verify": (
        _l("Your vendor profile is verified"),
        _l(
            "Hello %(name)s, %(business)s is verified. Your profile and products are now in the "
            "public catalogue, and you can apply for bazaar stalls."
        ),
    ),
    "vendor_reject": (
        _l("Your vendor profile needs changes"),
        _l(
            "Hello %(name)s, the organisers could not verify %(business)s yet. Reason: %(reason)s\n"
            "Correct your profile and send it again."
        ),
    ),
    "vendor_suspend": (
        _l("Your vendor profile is suspended"),
        _l(
            "Hello %(name)s, %(business)s is suspended and hidden from the catalogue. "
            "Reason: %(reason)s"
        ),
    ),
    "vendor_reject_withdrawn": (
        _l("Your vendor profile needs changes"),
        _l(
            "Hello %(name)s, the organisers could not verify %(business)s yet. Reason: %(reason)s\n"
            "Your stall applications were withdrawn, and any stall you held passed to the next "
            "vendor on the waiting list; see “My stalls”. Correct your profile and send it again."
        ),
    ),
    "vendor_suspend_withdrawn": (
        _l("Your vendor profile is suspended"),
        _l(
            "Hello %(name)s, %(business)s is suspended and hidden from the catalogue. "
            "Reason: %(reason)s\nYour stall applications were withdrawn, and any stall you held "
            "passed to the next vendor on the waiting list; see “My stalls”."
        ),
    ),
    "vendor_change_approved": (
        _l("Your profile changes are approved"),
        _l(
            "Hello %(name)s, the organisers approved your changes (%(fields)s). "
            "%(business)s now shows them in the catalogue."
        ),
    ),
    "vendor_change_returned": (
        _l("Your profile changes were sent back"),
        _l(
            "Hello %(name)s, the organisers did not accept your changes (%(fields)s) to "
            "%(business)s. Reason: %(reason)s\nYour verified details stay as they were; "
            "correct the changes and save your profile again."
        ),
    ),
    "paper_expiring": (
        _l("Your %(paper)s expires on %(expires)s"),
        _l(
            "Hello %(name)s, your %(paper)s expires on %(expires)s. Renew it before then and "
            "enter the new number and expiry date in your profile: %(url)s\n"
            "Without a valid one you cannot get a stall that needs it."
        ),
    ),
    "paper_expired": (
        _l("Your %(paper)s has expired"),
        _l(
            "Hello %(name)s, your %(paper)s expired on %(expires)s. Your products stay in the "
            "catalogue, but organisers see the expired paper and you cannot get a stall that "
            "needs it. Renew it and enter the new number and expiry date in your profile now: "
            "%(url)s"
        ),
    ),
    "inquiry": (
        _l("A question about %(subject)s"),
        _l("%(sender)s (%(contact)s) wrote:\n%(text)s"),
    ),
    "vendor_claim": (
        _l("Your business is listed on Bazaar"),
        _l(
            "%(business)s was added to the Bazaar catalogue from the home-business licence system. "
            "To manage it, create your account with this link within 7 days: %(url)s"
        ),
    ),
    "bazaar_released": (
        _l("%(title)s goes ahead"),
        _l(
            "Gatherings are allowed again: %(title)s goes ahead on %(date)s. Details: %(url)s\n"
            "To stop these messages: %(unsubscribe)s"
        ),
    ),
    "interest_confirm": (
        _l("Confirm: tell me when %(title)s goes ahead"),
        _l(
            "To be told when %(title)s goes ahead, confirm within 7 days: %(url)s\n"
            "If you did not ask for this, ignore this message; nothing happens."
        ),
    ),
    "interest_already": (
        _l("You are on the list for %(title)s"),
        _l(
            "You are already on the list: we will tell you when %(title)s goes ahead.\n"
            "To leave the list: %(unsubscribe)s"
        ),
    ),
    "stall_promoted": (
        _l("A stall is yours at %(title)s: confirm by %(deadline)s"),
        _l(
            "A stall (%(stall)s) was freed at %(title)s on %(date)s and passed to you from the "
            "waiting list.\nConfirm it by %(deadline)s, or it passes to the next vendor: %(url)s"
        ),
    ),
    "stall_allocated": (
        _l("You have a stall at %(title)s: confirm by %(deadline)s"),
        _l(
            "You were allocated a stall (%(stall)s) at %(title)s on %(date)s.\nWhy: %(why)s\n"
            "Confirm it by %(deadline)s, or it passes to the next vendor on the waiting list: "
            "%(url)s"
        ),
    ),
    "stall_waiting": (
        _l("Waiting list for %(title)s: you are number %(position)s"),
        _l(
            "You were not allocated a stall (%(stall)s) at %(title)s on %(date)s yet: you are "
            "number %(position)s on the waiting list.\nWhy: %(why)s\n"
            "If a stall is freed it passes to you in that order and we tell you at once. "
            "Your application: %(url)s"
        ),
    ),
    "stall_reconfirm": (
        _l("%(title)s goes ahead: confirm your stall by %(deadline)s"),
        _l(
            "Gatherings are allowed again and %(title)s goes ahead on %(date)s. Your stall "
            "(%(stall)s) is kept for you: confirm it again by %(deadline)s, or it passes to the "
            "next vendor: %(url)s"
        ),
    ),
    "stall_bazaar_released": (
        _l("%(title)s goes ahead"),
        _l(
            "Gatherings are allowed again and %(title)s goes ahead on %(date)s. "
            "Your application (%(stall)s) stands; see where it is: %(url)s"
        ),
    ),
    "stall_confirm_reminder": (
        _l("12 hours left: confirm your stall at %(title)s"),
        _l(
            "Your stall (%(stall)s) at %(title)s on %(date)s is not confirmed yet. "
            "Confirm it by %(deadline)s, or it passes to the next vendor: %(url)s"
        ),
    ),
    "stall_bazaar_cancelled": (
        _l("%(title)s is cancelled"),
        _l("%(title)s was cancelled by the organisers; your application there has ended."),
    ),
    "invitation": (
        _l("You are responsible for follow-ups of the home-business plan"),
        _l(
            "Hello %(name)s, a committee of the home-business plan made you, at %(agency)s, "
            "responsible for: %(followups)s.\nThese follow-ups are yours already. To see them "
            "and report progress, choose your password within 14 days with this link: %(url)s"
        ),
    ),
    "followup_assigned": (
        _l("Follow-up for you: %(title)s"),
        _l("You are responsible for the follow-up “%(title)s”, due %(due)s. See “My follow-ups”."),
    ),
    "followup_due": (
        _l("Due soon: %(title)s"),
        _l("Your follow-up “%(title)s” is due %(due)s."),
    ),
    "followup_overdue": (
        _l("Overdue: %(title)s"),
        _l("Your follow-up “%(title)s” was due %(due)s and is not done."),
    ),
}
