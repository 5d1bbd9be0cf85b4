"""Forms of the committee pages: a committee, a meeting with its decisions, an agency."""

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, FormField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from bazaar.forms import AppForm, AppSubForm, IdSelectField, JalaliDateField


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


class DecisionEntry(AppSubForm):
    text = TextAreaField(_l("Decision"), validators=[Optional(), Length(max=2000)])
    # A decision may create more than one follow-up, each with its own responsible person.
    followups = FieldList(FormField(FollowUpEntry), min_entries=2, max_entries=5)


class MeetingForm(AppForm):
    held_on = JalaliDateField(_l("Meeting date"), validators=[InputRequired()])
    attendee_ids = checkboxes(_l("Attendees"))
    minutes = TextAreaField(_l("Minutes"), validators=[Optional(), Length(max=20000)])
    decisions = FieldList(FormField(DecisionEntry), min_entries=3, max_entries=10)


class AgencyForm(AppForm):
    name_fa = StringField(_l("Name in Persian"), validators=[DataRequired(), Length(max=160)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=160)])
