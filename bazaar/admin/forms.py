"""Forms of the administration pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from bazaar.models import Role

ROLE_LABELS = {
    Role.CITIZEN.value: _l("Citizen"),
    Role.VENDOR.value: _l("Vendor"),
    Role.ORGANISER.value: _l("Organiser"),
    Role.ADMIN.value: _l("Administrator"),
}


class RoleForm(FlaskForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(value, label) for value, label in ROLE_LABELS.items()],
        validators=[DataRequired()],
    )


class ConfirmForm(FlaskForm):
    """Only the CSRF token: the button is the confirmation."""
