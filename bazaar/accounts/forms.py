"""Forms of the accounts pages."""

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, PasswordField, RadioField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from bazaar.forms import AppForm
from bazaar.models import Role

PASSWORD_LENGTH = Length(max=128)


class RegisterForm(AppForm):
    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    role = RadioField(
        _l("I want to"),
        choices=[
            SelectChoice(Role.CITIZEN.value, _l("browse and buy (citizen)")),
            SelectChoice(Role.VENDOR.value, _l("sell my products (home business)")),
        ],
        default=Role.CITIZEN.value,
        validators=[DataRequired()],
    )
    email = EmailField(_l("Email"), validators=[Optional(), Length(max=254)])
    mobile = TelField(_l("Mobile number"), validators=[Optional(), Length(max=20)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), PASSWORD_LENGTH])
    confirm = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )


class LoginForm(AppForm):
    identifier = StringField(
        _l("Email or mobile number"), validators=[DataRequired(), Length(max=254)]
    )
    password = PasswordField(_l("Password"), validators=[DataRequired(), PASSWORD_LENGTH])


class ChangePasswordForm(AppForm):
    current = PasswordField(_l("Current password"), validators=[DataRequired(), PASSWORD_LENGTH])
    password = PasswordField(_l("New password"), validators=[DataRequired(), PASSWORD_LENGTH])
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )


class ResetRequestForm(AppForm):
    identifier = StringField(
        _l("Email or mobile number"), validators=[DataRequired(), Length(max=254)]
    )


class ResetForm(AppForm):
    password = PasswordField(_l("New password"), validators=[DataRequired(), PASSWORD_LENGTH])
    confirm = PasswordField(
        _l("New password again"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )


class LogoutForm(AppForm):
    """Only the CSRF token: signing out is a POST."""
