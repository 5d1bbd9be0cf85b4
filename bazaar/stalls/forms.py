"""Forms of the stall pages."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from bazaar.forms import AppForm, IdSelectField


class ApplyForm(AppForm):
    stall_type_id = IdSelectField(_l("Stall type"), validators=[DataRequired()])
    category_ids = SelectMultipleField(
        _l("What you will sell"),
        coerce=int,
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
        validators=[DataRequired()],
    )
    note = StringField(_l("In your words (optional)"), validators=[Optional(), Length(max=300)])


class RoundForm(AppForm):
    seed = StringField(
        _l("Lottery seed (published with the result)"), validators=[DataRequired(), Length(max=64)]
    )
    priorities = SelectMultipleField(
        _l("Priority rules, in order"),
        choices=[
            SelectChoice("first_time", _l("First-time vendors first")),
            SelectChoice("left_out", _l("Vendors left out of the previous bazaar first")),
        ],
        option_widget=CheckboxInput(),
        widget=ListWidget(prefix_label=False),
    )


class RemoveForm(AppForm):
    reason = TextAreaField(
        _l("Reason (the vendor sees it)"), validators=[DataRequired(), Length(max=300)]
    )


class MoveForm(AppForm):
    stall_type_id = IdSelectField(_l("Move to"), validators=[DataRequired()])


class ActionForm(AppForm):
    """Only the CSRF token."""
