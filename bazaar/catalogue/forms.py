"""Forms of the catalogue pages."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import RadioField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from bazaar.forms import AppForm, IdSelectField, LocalizedIntegerField
from bazaar.models import Availability

AVAILABILITY_LABELS = {
    Availability.IN_STOCK.value: _l("In stock"),
    Availability.TO_ORDER.value: _l("Made to order"),
    Availability.UNAVAILABLE.value: _l("Unavailable for now"),
}


class ProductForm(AppForm):
    name = StringField(_l("Product name"), validators=[DataRequired(), Length(max=160)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    category_id = IdSelectField(_l("Category"), validators=[DataRequired()])
    price_toman = LocalizedIntegerField(
        _l("Price (toman)"),
        validators=[InputRequired(), NumberRange(min=0, max=10**12)],
        largest=10**12,
    )
    unit = StringField(
        _l("Unit (e.g. kg, jar, piece)"), validators=[DataRequired(), Length(max=40)]
    )
    availability = RadioField(
        _l("Availability"),
        choices=[SelectChoice(value, label) for value, label in AVAILABILITY_LABELS.items()],
        default=Availability.IN_STOCK.value,
        validators=[DataRequired()],
    )


class PhotoForm(AppForm):
    photo = FileField(_l("Add a photo"), validators=[FileRequired()])


class InquiryForm(AppForm):
    sender = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    contact = StringField(_l("Your phone or email"), validators=[DataRequired(), Length(max=120)])
    text = TextAreaField(_l("Your message"), validators=[DataRequired(), Length(max=2000)])


class ActionForm(AppForm):
    """Only the CSRF token: for buttons that post (favourite, follow, delete, move)."""
