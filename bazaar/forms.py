"""Form pieces shared by every blueprint."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField

from bazaar.text import parse_number_text


class LocalizedIntegerField(IntegerField):
    """An integer field that accepts Persian and Arabic digits and thousands separators."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0]:
            text = parse_number_text(valuelist[0])
            try:
                self.data = int(text)
            except ValueError as exc:
                self.data = None
                raise ValueError(_l("Enter a whole number.")) from exc
            return
        self.data = None


def attach_error(form, error, fields):
    """Show a domain error on the form field its code belongs to (or the form as a whole).

    `fields` maps code prefixes ("password.") or whole codes to field names.
    """
    name = fields.get(error.code) or next(
        (
            field
            for prefix, field in fields.items()
            if prefix.endswith(".") and error.code.startswith(prefix)
        ),
        None,
    )
    if name is not None and name in form:
        form[name].errors = [*form[name].errors, error.message]
    else:
        form.form_errors.append(error.message)
