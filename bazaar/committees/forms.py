"""Forms of the committee, follow-up and audit pages."""

from flask_babel import lazy_gettext as _l
from wtforms import FieldList, Form, FormField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from bazaar.forms import AppForm, IdSelectField, JalaliDateField
from bazaar.models import FollowUpStatus

STATUS_LABELS = {
    FollowUpStatus.OPEN.value: _l("Open"),
    FollowUpStatus.IN_PROGRESS.value: _l("In progress"),
    FollowUpStatus.BLOCKED.value: _l("Blocked"),
    FollowUpStatus.DONE.value: _l("Done"),
}


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


class FollowUpEntry(Form):
    title = StringField(_l("Follow-up"), validators=[Optional(), Length(max=200)])
    responsible_id = IdSelectField(_l("Responsible person"), validators=[Optional()])
    due_on = JalaliDateField(_l("Due on"), validators=[Optional()])


class DecisionEntry(Form):
    text = TextAreaField(_l("Decision"), validators=[Optional(), Length(max=2000)])
    # A decision may create more than one follow-up, each with its own responsible person.
    followups = FieldList(FormField(FollowUpEntry), min_entries=2, max_entries=5)


class MeetingForm(AppForm):
    held_on = JalaliDateField(_l("Meeting date"), validators=[InputRequired()])
    attendee_ids = checkboxes(_l("Attendees"))
    minutes = TextAreaField(_l("Minutes"), validators=[Optional(), Length(max=20000)])
    decisions = FieldList(FormField(DecisionEntry), min_entries=3, max_entries=10)


class CommentForm(AppForm):
    text = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=4000)])


class StatusForm(AppForm):
    status = IdSelectField(
        _l("Status"),
        coerce=str,
        choices=[SelectChoice(value, label) for value, label in STATUS_LABELS.items()],
        validators=[DataRequired()],
    )
    reason = StringField(
        _l("Reason (needed when blocked)"), validators=[Optional(), Length(max=500)]
    )


class ReassignForm(AppForm):
    responsible_id = IdSelectField(_l("Hand over to"), validators=[DataRequired()])
    reason = StringField(_l("Why"), validators=[DataRequired(), Length(max=500)])


class AgencyForm(AppForm):
    name_fa = StringField(_l("Name in Persian"), validators=[DataRequired(), Length(max=160)])
    name_en = StringField(_l("Name in English"), validators=[DataRequired(), Length(max=160)])


class NewFollowUpForm(AppForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    responsible_id = IdSelectField(_l("Responsible person"), validators=[DataRequired()])
    due_on = JalaliDateField(_l("Due on"), validators=[InputRequired()])
    bazaar_id = IdSelectField(_l("Concerns the bazaar (optional)"), validators=[Optional()])
    restriction_id = IdSelectField(
        _l("Concerns the restriction (optional)"), validators=[Optional()]
    )
