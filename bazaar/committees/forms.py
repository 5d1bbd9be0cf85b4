"""Forms of the committee pages: a committee, a meeting with its decisions, an agency."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import (
    FieldList,
    FormField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from bazaar.forms import AppForm, AppSubForm, IdSelectField, JalaliDateField, NewAccountForm

# Rows are added one at a time with the form's "Add" buttons; this bounds a forged request.
MAX_ROWS = 60


def checkboxes(label):
    return SelectMultipleField(
        label, coerce=int, option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False)
    )


class CommitteeForm(AppForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=160)])
    mandate = TextAreaField(
        _l("Mandate: its share of the plan"), validators=[DataRequired(), Length(max=4000)]
    )
    chair_id = IdSelectField(_l("Chair"), validators=[DataRequired()])
    member_ids = checkboxes(_l("Members"))


class FollowUpEntry(AppSubForm):
    title = StringField(_l("Follow-up"), validators=[Optional(), Length(max=200)])
    responsible_id = IdSelectField(_l("Responsible person"), validators=[Optional()])
    due_on = JalaliDateField(_l("Due on"), validators=[Optional()])
    # Or someone without an account yet: invited into an agency, the follow-up theirs at once.
    invite_name = StringField(_l("Or invite: name"), validators=[Optional(), Length(max=120)])
    invite_contact = StringField(
        _l("Their mobile or email"), validators=[Optional(), Length(max=254)]
    )
    invite_agency_id = IdSelectField(_l("Their agency"), validators=[Optional()])


class DecisionEntry(AppSubForm):
    text = TextAreaField(_l("Decision"), validators=[Optional(), Length(max=2000)])
    # A decision may create any number of follow-ups ("Add a follow-up" adds a row).
    followups = FieldList(FormField(FollowUpEntry), min_entries=1, max_entries=MAX_ROWS)


class GuestEntry(AppSubForm):
    """An attendee without an account."""

    name = StringField(_l("Name"), validators=[Optional(), Length(max=120)])
    agency_id = IdSelectField(_l("Agency"), validators=[Optional()])
    role = StringField(_l("Role"), validators=[Optional(), Length(max=120)])


class MeetingForm(AppForm):
    held_on = JalaliDateField(_l("Meeting date"), validators=[InputRequired()])
    attendee_ids = checkboxes(_l("Attendees"))
    guests = FieldList(FormField(GuestEntry), min_entries=1, max_entries=MAX_ROWS)
    minutes = TextAreaField(_l("Minutes"), validators=[Optional(), Length(max=20000)])
    minutes_document = FileField(_l("Signed minutes (PDF or photo, optional)"))
    decisions = FieldList(FormField(DecisionEntry), min_entries=2, max_entries=MAX_ROWS)


class AgencyForm(AppForm):
    name_fa = StringField(_l("Name in Persian"), validators=[DataRequired(), Length(max=160)])
    name_en = StringField(
        _l("Name in English (optional)"), validators=[Optional(), Length(max=160)]
    )


class InvitationForm(NewAccountForm):
    """The invited person chooses the name shown and a password."""
