"""Forms of the bazaar pages."""

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    FieldList,
    FormField,
    RadioField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from bazaar.forms import AppForm, AppSubForm, IdSelectField, JalaliDateField, LocalizedIntegerField
from bazaar.models import AllocationMode

# Persian week order: Saturday first. Values are Python weekdays (Monday = 0).
WEEKDAYS = [
    SelectChoice("5", _l("Saturday")),
    SelectChoice("6", _l("Sunday")),
    SelectChoice("0", _l("Monday")),
    SelectChoice("1", _l("Tuesday")),
    SelectChoice("2", _l("Wednesday")),
    SelectChoice("3", _l("Thursday")),
    SelectChoice("4", _l("Friday")),
]


class StallTypeForm(AppSubForm):
    # An existing type's id (the service matches types by id); empty on a new row.
    stall_id = LocalizedIntegerField(widget=HiddenInput(), validators=[Optional()])
    name = StringField(_l("Stall type"), validators=[Optional(), Length(max=80)])
    count = LocalizedIntegerField(
        _l("How many"), validators=[Optional(), NumberRange(min=0, max=10_000)]
    )
    fee_toman = LocalizedIntegerField(
        _l("Fee (toman, optional)"), validators=[Optional(), NumberRange(min=0)], largest=10**12
    )
    is_food = BooleanField(_l("Food stall (needs a health ID)"))
    closed = BooleanField(_l("Closed to new applications"))


class CapForm(AppSubForm):
    category_id = IdSelectField(_l("Category"), validators=[Optional()])
    max_stalls = LocalizedIntegerField(
        _l("At most"), validators=[Optional(), NumberRange(min=0, max=10_000)]
    )


class BazaarForm(AppForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=160)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    venue_name = StringField(_l("Venue"), validators=[DataRequired(), Length(max=160)])
    venue_address = StringField(_l("Venue address"), validators=[Optional(), Length(max=300)])
    county_id = IdSelectField(_l("County"), validators=[DataRequired()])
    day = JalaliDateField(_l("Date"), validators=[InputRequired()])
    start = TimeField(_l("Starts at"), validators=[InputRequired()])
    end = TimeField(_l("Ends at"), validators=[InputRequired()])
    applications_open_on = JalaliDateField(_l("Applications open on"), validators=[Optional()])
    applications_close_on = JalaliDateField(_l("Applications close on"), validators=[Optional()])
    allocation_mode = RadioField(
        _l("How stalls are allocated"),
        choices=[
            SelectChoice(AllocationMode.FIRST_COME.value, _l("First come, first served")),
            SelectChoice(
                AllocationMode.ROUND.value,
                _l("Allocation round with a lottery after applications close"),
            ),
        ],
        default=AllocationMode.FIRST_COME.value,
    )
    confirm_hours = LocalizedIntegerField(
        _l("Hours an allocated vendor has to confirm"),
        default=48,
        validators=[InputRequired(), NumberRange(min=1, max=720)],
    )
    stall_types = FieldList(FormField(StallTypeForm), min_entries=4, max_entries=10)
    caps = FieldList(FormField(CapForm), min_entries=3, max_entries=10)
    repeat = BooleanField(_l("Repeat weekly (a series)"))
    weekdays = SelectMultipleField(
        _l("On these weekdays"),
        choices=WEEKDAYS,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )
    last_day = JalaliDateField(_l("Until"), validators=[Optional()])
    # A series' window, relative to each of its dates (instead of the fixed dates above).
    opens_days_before = LocalizedIntegerField(
        _l("Applications open this many days before each date"),
        validators=[Optional(), NumberRange(min=1, max=365)],
    )
    closes_days_before = LocalizedIntegerField(
        _l("Applications close this many days before each date"),
        validators=[Optional(), NumberRange(min=1, max=365)],
    )


class ReasonForm(AppForm):
    reason = TextAreaField(
        _l("Reason (everyone sees it)"), validators=[DataRequired(), Length(max=500)]
    )


class RescheduleForm(AppForm):
    day = JalaliDateField(_l("New date"), validators=[InputRequired()])
    start = TimeField(_l("Starts at"), validators=[InputRequired()])
    end = TimeField(_l("Ends at"), validators=[InputRequired()])
    reason = TextAreaField(_l("Reason"), validators=[Optional(), Length(max=500)])


class InterestForm(AppForm):
    contact = StringField(
        _l("Your email or mobile number"), validators=[Optional(), Length(max=254)]
    )


class ActionForm(AppForm):
    """Only the CSRF token."""
