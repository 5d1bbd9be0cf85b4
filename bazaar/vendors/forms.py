"""Forms of the vendor pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    EmailField,
    HiddenField,
    RadioField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from bazaar.forms import AppForm, IdSelectField, JalaliDateField, NewAccountForm
from bazaar.models import LicenceKind


class ProfileForm(AppForm):
    """A vendor's business profile and papers."""

    business_name = StringField(_l("Business name"), validators=[DataRequired(), Length(max=160)])
    owner_name = StringField(_l("Owner's name"), validators=[DataRequired(), Length(max=120)])
    mobile = TelField(
        _l("Mobile number (shown to customers)"), validators=[DataRequired(), Length(max=20)]
    )
    email = EmailField(_l("Email (optional)"), validators=[Optional(), Length(max=254)])
    county_id = IdSelectField(_l("County"), validators=[DataRequired()])
    district_id = IdSelectField(_l("District (optional)"), validators=[Optional()])
    address = StringField(
        _l("Address (private: only organisers see it)"), validators=[Optional(), Length(max=500)]
    )
    description = TextAreaField(
        _l("About your business"), validators=[Optional(), Length(max=4000)]
    )
    field_id = IdSelectField(_l("Field (رشته)"), validators=[DataRequired()])
    licence_number = StringField(_l("Licence number"), validators=[Optional(), Length(max=64)])
    licence_body = StringField(_l("Issued by"), validators=[Optional(), Length(max=160)])
    licence_kind = RadioField(
        _l("Licence kind"),
        choices=[
            SelectChoice(LicenceKind.INDEPENDENT.value, _l("Independent (مستقل)")),
            SelectChoice(LicenceKind.SUPPORTING.value, _l("Supporting firm (پشتیبان)")),
        ],
        default=LicenceKind.INDEPENDENT.value,
    )
    licence_issued_on = JalaliDateField(_l("Licence issued on"), validators=[Optional()])
    licence_expires_on = JalaliDateField(_l("Licence expires on"), validators=[Optional()])
    health_id = StringField(
        _l("Health ID (شناسه بهداشتی)"), validators=[Optional(), Length(max=64)]
    )
    health_id_expires_on = JalaliDateField(_l("Health ID expires on"), validators=[Optional()])
    logo = FileField(_l("Logo (optional)"))


class DecisionForm(AppForm):
    """An organiser's decision on a vendor or a change: the reason, when one is needed."""

    reason = TextAreaField(
        _l("Reason (the vendor sees it)"), validators=[Optional(), Length(max=500)]
    )
    # The profile version the organiser looked at: verifying refuses a profile changed since.
    seen = HiddenField()


class SubmitForm(AppForm):
    """Only the CSRF token: the button sends the profile for review."""


class ClaimForm(NewAccountForm):
    """A new account for an imported business."""
