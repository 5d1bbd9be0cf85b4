"""The form of the statistics page."""

from wtforms import StringField
from wtforms.validators import Length, Optional

from bazaar.forms import AppForm


class PublishForm(AppForm):
    """Publish a snapshot, with an optional note."""

    note = StringField("note", validators=[Optional(), Length(max=300)])
