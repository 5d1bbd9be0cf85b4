"""Forms of the follow-up pages (and of a committee's new follow-up)."""

from flask_babel import lazy_gettext as _l
from wtforms import StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from bazaar.forms import AppForm, IdSelectField, JalaliDateField
from bazaar.services.followups import rules
from bazaar.services.organisers import list_organisers


def organiser_choices(blank=None):
    """Choices of every active organiser, after a `blank` first choice when one is given."""
    choices = [SelectChoice("", blank)] if blank is not None else []
    return choices + [SelectChoice(str(u.id), u.name) for u in list_organisers()]


class NewFollowUpForm(AppForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    responsible_id = IdSelectField(_l("Responsible person"), validators=[DataRequired()])
    due_on = JalaliDateField(_l("Due on"), validators=[InputRequired()])
    bazaar_id = IdSelectField(_l("Concerns the bazaar (optional)"), validators=[Optional()])
    restriction_id = IdSelectField(
        _l("Concerns the restriction (optional)"), validators=[Optional()]
    )


class CommentForm(AppForm):
    text = TextAreaField(_l("Comment"), validators=[DataRequired(), Length(max=4000)])


class StatusForm(AppForm):
    status = IdSelectField(
        _l("Status"),
        coerce=str,
        choices=[SelectChoice(status.value, rules.LABELS[status]) for status in rules.STATUSES],
        validators=[DataRequired()],
    )
    reason = StringField(
        _l("Reason (needed when blocked)"), validators=[Optional(), Length(max=500)]
    )


class ReassignForm(AppForm):
    responsible_id = IdSelectField(_l("Hand over to"), validators=[DataRequired()])
    reason = StringField(_l("Why"), validators=[DataRequired(), Length(max=500)])
