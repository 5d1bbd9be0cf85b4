"""The form of the statistics page."""

from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import Length, Optional


class PublishForm(FlaskForm):
    """Publish a snapshot, with an optional note."""

    note = StringField("note", validators=[Optional(), Length(max=300)])
