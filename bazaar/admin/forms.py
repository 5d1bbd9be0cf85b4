"""Forms of the administration pages."""

from flask_babel import lazy_gettext as _l
from wtforms import SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired

from bazaar.forms import AppForm
from bazaar.models import Role

ROLE_LABELS = {
    Role.CITIZEN.value: _l("Citizen"),
    Role.VENDOR.value: _l("Vendor"),
    Role.ORGANISER.value: _l("Organiser"),
    Role.ADMIN.value: _l("Administrator"),
}


class RoleForm(AppForm):
    role = SelectField(
        _l("Role"),
        choices=[SelectChoice(value, label) for value, label in ROLE_LABELS.items()],
        validators=[DataRequired()],
    )


class ConfirmForm(AppForm):
    """Only the CSRF token: the button is the confirmation."""
