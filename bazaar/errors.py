"""Domain exceptions and the one table of their translatable messages."""

from flask_babel import lazy_gettext as _l

MESSAGES = {
    "account.identifier_taken": _l("An account with this email or mobile number already exists."),
    "account.identifier_required": _l("Enter an email address or a mobile number."),
    "account.invalid_mobile": _l("Enter an Iranian mobile number such as 09121234567."),
    "account.invalid_email": _l("Enter a valid email address."),
    "account.bad_credentials": _l("The email/mobile or password is not correct."),
    "account.locked": _l("Too many failed attempts. Try again in a few minutes."),
    "account.disabled": _l("This account is disabled. Ask the organisers to enable it again."),
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
    "input.bad_number": _l("“%(value)s” is not a whole number that can be used here."),
    "reference.not_found": _l("No such item."),
    "reference.incomplete": _l("Enter a code and a name in both languages."),
    "reference.code_taken": _l("Another item already has this code."),
    "reference.bad_parent": _l("Choose a valid parent."),
    "image.not_an_image": _l(
        "This file is not an image we can read. Upload a JPEG, PNG or WebP photo."
    ),
    "image.too_many_pixels": _l(
        "This image has too many pixels: a JPEG photo may have at most 25 megapixels, "
        "a PNG, WebP or GIF image at most 12."
    ),
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
    "vendor.changed_since_seen": _l(
        "The vendor changed their profile after you opened it; look at it again."
    ),
    "vendor.change_not_found": _l("No such change to review."),
    "vendor.change_decided": _l(
        "This change was already decided, or the vendor replaced it; look at it again."
    ),
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
    "import.too_large": _l(
        "Import files may be at most %(size)s MB; split the file and try again."
    ),
    "import.not_found": _l("There is no such import."),
    "import.failed": _l(
        "The import stopped because of an error on our side; nothing was imported. "
        "Upload it again, or tell the secretariat."
    ),
    "import.interrupted": _l(
        "The import was interrupted (the server stopped); nothing was imported. Upload it again."
    ),
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
    "document.not_a_document": _l("Upload the decision as a PDF or a photo (JPEG, PNG or WebP)."),
    "agency.name_required": _l("Enter the agency's name in Persian."),
    "agency.not_found": _l("No such agency."),
    "agency.has_history": _l(
        "This agency has history (people placed in it or meeting attendees from it), so it "
        "cannot be deleted. Retire it instead."
    ),
    "agency.retired": _l("This agency is retired; choose another."),
    "invitation.name_required": _l("Enter the name of the person to invite."),
    "invitation.account_exists": _l(
        "An account with this mobile or email already exists: choose that person as responsible."
    ),
    "invitation.invalid": _l("This invitation link is invalid, has expired or was already used."),
    "committee.guest_name_required": _l("Enter the attendee's name."),
    "series.not_found": _l("No such series."),
    "series.bad_action": _l("Choose publish, cancel or reschedule."),
    "series.none_selected": _l("Choose at least one date of the series."),
    "series.bad_shift": _l("Move the dates by at most 365 days."),
    "series.bad_window": _l(
        "Applications must open more days before each date than they close, and close at "
        "least one day before it (at most 365 days)."
    ),
    "restriction.body_required": _l("Enter the authority that decided."),
    "restriction.reference_required": _l("Enter the decision's reference number."),
    "restriction.date_required": _l("Enter the date."),
    "restriction.end_before_start": _l("The end date must not be before the start date."),
    "restriction.not_found": _l("No such restriction."),
    "restriction.already_lifted": _l("This restriction has already been lifted."),
    "bazaar.not_found": _l("No such bazaar."),
    "bazaar.title_required": _l("Enter a title."),
    "bazaar.venue_required": _l("Enter the venue's name."),
    "bazaar.date_required": _l("Enter the date and the start and end times."),
    "bazaar.end_before_start": _l("The end time must be after the start time."),
    "bazaar.window_incomplete": _l("Give both the first and the last day of applications."),
    "bazaar.window_dates": _l(
        "Applications must close after they open, and no later than the bazaar."
    ),
    "bazaar.bad_mode": _l("Choose how stalls are allocated."),
    "bazaar.bad_confirm_hours": _l("Give vendors 1 to 720 hours to confirm."),
    "bazaar.stall_types_required": _l("Add at least one stall type (at most 10)."),
    "bazaar.stall_name_required": _l("Every stall type needs a name."),
    "bazaar.bad_stall_count": _l("A stall count must be a whole number, 0 or more."),
    "bazaar.bad_fee": _l("A fee must be a whole number of toman, 0 or more."),
    "bazaar.bad_cap": _l("A category limit must name a category and be 0 or more."),
    "bazaar.count_below_allocated": _l(
        "%(name)s already has more stalls allocated than that count."
    ),
    "bazaar.unknown_stall_type": _l("A stall type on the form is not one of this bazaar's."),
    "bazaar.duplicate_stall_name": _l(
        "Two stall types are named “%(name)s”; give each its own name."
    ),
    "bazaar.stall_type_in_use": _l(
        "“%(name)s” has applications, so it cannot be removed; "
        "close it to new applications instead."
    ),
    "bazaar.cancelled": _l("This bazaar is cancelled."),
    "bazaar.use_reschedule": _l(
        "A published bazaar's date changes through “Reschedule”, which keeps the previous date."
    ),
    "bazaar.already_published": _l("This bazaar is already published."),
    "bazaar.not_published": _l("Publish the bazaar first."),
    "bazaar.in_the_past": _l("The bazaar's date has passed."),
    "bazaar.reason_required": _l("Give a reason; everyone will see it."),
    "bazaar.weekdays_required": _l("Choose at least one weekday."),
    "bazaar.series_dates": _l("The last day must not be before the first day."),
    "bazaar.series_size": _l("A series makes 1 to %(max)s bazaars; choose other days."),
    "stall.vendor_not_verified": _l("Only verified vendors can apply for stalls."),
    "stall.vendor_not_in_standing": _l(
        "Your vendor profile is not verified now (it may be suspended), so you cannot confirm "
        "or decline a stall."
    ),
    "stall.licence_expired": _l(
        "Your home-business licence expired on %(date)s. Renew it and update your profile to apply."
    ),
    "stall.health_id_needed": _l("A food stall needs a health ID valid on the bazaar's date."),
    "stall.bazaar_closed": _l("This bazaar no longer takes applications."),
    "stall.window_not_open": _l("Applications have not opened yet."),
    "stall.window_closed": _l("Applications have closed."),
    "stall.bad_type": _l("Choose a stall type of this bazaar."),
    "stall.type_closed": _l("This stall type no longer takes applications."),
    "stall.categories_required": _l("Choose what you will sell."),
    "stall.already_applied": _l("You have already applied to this bazaar."),
    "stall.not_found": _l("No such application."),
    "stall.nothing_to_confirm": _l("There is no allocated stall to confirm."),
    "stall.deadline_passed": _l("The confirmation deadline has passed."),
    "stall.nothing_to_decline": _l("There is no stall to decline."),
    "stall.cannot_withdraw": _l("This application can no longer be withdrawn."),
    "stall.nothing_to_remove": _l("This application holds no stall."),
    "stall.nothing_to_move": _l("This application holds no stall."),
    "stall.type_full": _l("Every stall of that type is taken."),
    "stall.seed_required": _l(
        "Enter the lottery seed (up to 64 characters); it is published with the result."
    ),
    "stall.bad_priority": _l("Unknown priority rule."),
    "stall.not_a_round": _l("This bazaar allocates stalls first come, first served."),
    "stall.round_done": _l("The allocation round has already run."),
    "stall.window_still_open": _l("The round runs after the application window closes."),
    "committee.not_an_organiser": _l("Choose an organiser."),
    "committee.agency_exists": _l("This agency already exists."),
    "committee.bad_agency": _l("Choose an agency from the list."),
    "committee.name_required": _l("Enter the committee's name."),
    "committee.mandate_required": _l("Write the committee's mandate: its share of the plan."),
    "committee.name_taken": _l("Another committee has this name."),
    "committee.not_found": _l("No such committee."),
    "committee.decision_required": _l("Write at least one decision."),
    "committee.decision_text_required": _l("Write the decision the follow-up comes from."),
    "followup.title_required": _l("Give the follow-up a title."),
    "followup.due_required": _l("Give the follow-up a due date."),
    "followup.responsible_required": _l("Every follow-up needs a responsible person."),
    "followup.not_found": _l("No such follow-up."),
    "followup.comment_required": _l("Write the comment."),
    "followup.bad_status": _l("Choose a status from the list."),
    "followup.reason_required": _l("Give a reason."),
    "followup.same_status": _l("The follow-up already has this status."),
    "followup.same_person": _l("This person is already responsible."),
    "statistics.not_found": _l("No such snapshot."),
    "plan.bad_metric": _l("Choose a figure from the list."),
    "plan.value_required": _l("Enter a whole number, zero or more."),
    "plan.due_required": _l("Give the target a date."),
    "plan.due_in_past": _l("The target's date must be after today."),
    "plan.bad_county": _l("A county can be chosen only for the figure by county."),
    "plan.bad_field": _l("A field can be chosen only for the figure by field."),
    "plan.bad_past_plan": _l("Choose past plans from the list."),
    "plan.bad_choice": _l("Choose from the list."),
    "plan.not_member": _l("You can set targets only for a committee you sit on."),
    "plan.withdrawn": _l("This target was withdrawn; set a new one instead."),
    "plan.target_not_found": _l("No such target."),
    "plan.bad_kind": _l("Choose requirement or obstacle."),
    "plan.title_required": _l("Give it a title."),
    "plan.bad_status": _l("Choose a status from the list."),
    "plan.obstacle_not_found": _l("No such register entry."),
    "plan.bad_years": _l("Write the years as 1397 or 1397-1399."),
    "plan.past_plan_not_found": _l("No such past plan."),
    "plan.decision_not_found": _l("No such decision."),
    "plan.bazaar_not_ended": _l("Visitors can be recorded once the bazaar has ended."),
    "plan.meeting_required": _l("Choose the council meeting the report is for."),
    "plan.report_exists": _l("This meeting already has its report."),
    "plan.report_not_found": _l("No such report."),
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


class Refused(DomainError):
    """A rule refused the input or the action: shown on the form or flashed by the view.

    Views catch this (never DomainError) so that NotFound, TooLarge and Throttled reach the
    app-wide handler and its 404, 413 and 429 pages.
    """


class Conflict(Refused):
    """The action conflicts with the current state (taken, full, already done)."""


class Invalid(Refused):
    """The input breaks a rule."""


class TooLarge(DomainError):
    """An upload is larger than allowed (answered with the 413 page)."""


class Throttled(DomainError):
    """Too many attempts; try again later."""
