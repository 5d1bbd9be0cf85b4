"""Form pieces shared by every blueprint."""

from datetime import date

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from persiantools.jdatetime import JalaliDate
from wtforms import Form, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length
from wtforms.widgets import TextInput

from bazaar.i18n import N_, format_number, is_persian, parse_jalali_date
from bazaar.services import reference
from bazaar.text import INT32_MAX, parse_int, strip_controls, to_ascii_digits, to_persian_digits

GREGORIAN_FROM = 1900


def _single_line(data):
    return strip_controls(data) if isinstance(data, str) else data


def _multi_line(data):
    return strip_controls(data, keep_lines=True) if isinstance(data, str) else data


# WTForms' own messages that our forms can show, translated in the app's catalogue: the Persian
# WTForms ships reads as a translation ("این فیلد اجباریست"), not as a native writer writes.
WTFORMS_MESSAGES = (
    N_("This field is required."),
    N_("Not a valid choice."),
    N_("Invalid input."),
    N_("Invalid email address."),
    N_("Field must be between %(min)d and %(max)d characters long."),
    N_("Number must be between %(min)s and %(max)s."),
    N_("Number must be at least %(min)s."),
    N_("Number must be at most %(max)s."),
    N_("Field must be equal to %(other_name)s."),
    N_("Not a valid integer value."),
    N_("Not a valid date value."),
)


class _AppTranslations:
    """Translate WTForms' messages through the app's catalogue, WTForms' own as the fallback."""

    def __init__(self, fallback):
        self.fallback = fallback

    def gettext(self, string):
        text = get_translations().ugettext(string)
        return text if text != string or self.fallback is None else self.fallback.gettext(string)

    def ngettext(self, singular, plural, n):
        text = get_translations().ungettext(singular, plural, n)
        if text in (singular, plural) and self.fallback is not None:
            return self.fallback.ngettext(singular, plural, n)
        return text


class _CleanText:
    """Form meta that puts the control-character filter on every text field of the form."""

    def bind_field(self, form, unbound_field, options):
        field_class = unbound_field.field_class
        # Text fields only (password, email, hidden… are text fields too); a list or a
        # sub-form refuses filters: its rows are AppSubForms and clean their own fields.
        if issubclass(field_class, StringField):
            clean = _multi_line if issubclass(field_class, TextAreaField) else _single_line
            filters = [clean, *unbound_field.kwargs.get("filters", ())]
            options = {**options, "filters": filters}
        return unbound_field.bind(form=form, **options)

    def get_translations(self, form):
        return _AppTranslations(super().get_translations(form))


class AppForm(FlaskForm):
    """The base of every form in the app: no field's text keeps a control character.

    NUL, the other C0 and C1 controls, DEL and bidi overrides are removed from every field's
    data; a single-line field also loses line and paragraph breaks and tabs (a multi-line field
    keeps them), before any validator or service sees it.
    """

    class Meta(_CleanText):
        pass

    def invalid_fields(self):
        return invalid_fields(self)


class AppSubForm(Form):
    """The base of the rows of a FieldList (stall types, decisions…): cleaned like AppForm."""

    class Meta(_CleanText):
        pass


class LocalizedIntegerField(IntegerField):
    """An integer field that accepts Persian and Arabic digits and thousands separators.

    Rendered as a text input: browsers refuse Persian digits in <input type="number">. Read
    with `parse_int`, so other Unicode digits (²) and values past the column's range (32 bits
    unless `largest` says more, as for money) are a field error.
    """

    widget = TextInput()

    def __init__(self, *args, largest=INT32_MAX, **kwargs):
        super().__init__(*args, **kwargs)
        self.largest = largest

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = parse_int(valuelist[0], grouping=True, max=self.largest)
            except ValueError as exc:
                self.data = None
                raise ValueError(_l("Enter a whole number.")) from exc
            return
        self.data = None

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        if getattr(self.widget, "input_type", None) == "hidden":
            return str(self.data)  # an id the page carries, not a number anyone reads
        # Shown back as the reader writes it: ۳۵۰٬۰۰۰ in Persian, 350,000 in English.
        return format_number(self.data)


class JalaliDateField(StringField):
    """A date typed in the Jalali (۱۴۰۵/۰۹/۱۵) or Gregorian (2026-12-06) calendar.

    Its data is a Gregorian date. Persian pages show it in Jalali; English pages in Gregorian,
    with the Jalali date beside it (`other_calendar`), since the office's papers are Jalali.
    """

    def process_formdata(self, valuelist):
        self.raw = valuelist[0].strip() if valuelist else ""
        if not self.raw:
            self.data = None
            return
        try:
            self.data = parse_any_date(self.raw)
        except ValueError as exc:
            self.data = None
            if is_persian():
                raise ValueError(
                    _l("Enter a Jalali date that exists, such as ۱۴۰۵/۰۹/۱۵.")
                ) from exc
            raise ValueError(
                _l("Enter a date that exists, such as 2026-12-06 or 1405/09/15.")
            ) from exc

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        if self.data is None:
            return ""
        if not is_persian():
            return self.data.isoformat()
        jalali = JalaliDate.to_jalali(self.data)
        return to_persian_digits(f"{jalali.year}/{jalali.month:02d}/{jalali.day:02d}")

    def calendar_hint(self):
        """On an English page, say both calendars are fine and give the Jalali date; else ""."""
        if is_persian():
            return ""
        hint = str(_l("Gregorian (2026-12-06) or Jalali (1405/09/15)."))
        jalali = self.other_calendar()
        return f"{hint} {_l('Jalali: %(date)s', date=jalali)}" if jalali else hint

    def other_calendar(self):
        """The Jalali date beside the Gregorian one on an English page; empty otherwise."""
        if self.data is None or is_persian():
            return ""
        jalali = JalaliDate.to_jalali(self.data)
        return f"{jalali.year}/{jalali.month:02d}/{jalali.day:02d}"


def parse_any_date(text):
    """Read a Jalali date, or a Gregorian one (its year has four digits from 1900 on)."""
    parts = to_ascii_digits(text.strip()).replace("/", "-").replace(".", "-").split("-")
    if len(parts) == 3 and parts[0].strip().isdigit() and int(parts[0]) >= GREGORIAN_FROM:
        year = parse_int(parts[0], min=GREGORIAN_FROM, max=2200)
        return date(year, parse_int(parts[1], min=1, max=12), parse_int(parts[2], min=1, max=31))
    return parse_jalali_date(text)


def id_choices(items, language, blank=None):
    """Build select choices from reference items, in the current language."""
    choices = [SelectChoice("", blank)] if blank is not None else []
    return choices + [SelectChoice(str(item.id), item.name_in(language)) for item in items]


def category_choices(language, blank=None):
    """Categories grouped under their parents, for a select (the parents too when blank is set)."""
    tree = reference.category_tree(language)
    if blank is None:
        return [
            SelectChoice(str(cid), name, optgroup=top_name)
            for (_tid, top_name), children in tree
            for cid, name in children
        ]
    choices = [SelectChoice("", blank)]
    for (top_id, top_name), children in tree:
        choices.append(SelectChoice(str(top_id), top_name))
        choices += [SelectChoice(str(cid), name, optgroup=top_name) for cid, name in children]
    return choices


class IdSelectField(SelectField):
    """A select of database ids; an empty choice means None."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "coerce",
            lambda value: (
                parse_int(value, max=INT32_MAX) if value not in (None, "", "None") else None
            ),
        )
        kwargs.setdefault("validate_choice", True)
        super().__init__(*args, **kwargs)


def attach_error(form, error, fields=None, default=None):
    """Show a domain error on the form field it belongs to, or on the form as a whole.

    The field is the one the error names (its `field` parameter), else the one `fields` maps
    its code or code prefix ("password.") to, else `default`.
    """
    fields = fields or {}
    name = (
        error.params.get("field")
        or fields.get(error.code)
        or next(
            (
                f
                for prefix, f in fields.items()
                if prefix.endswith(".") and error.code.startswith(prefix)
            ),
            None,
        )
        or default
    )
    if name is not None and name in form:
        form[name].errors = [*form[name].errors, error.message]
    else:
        form.form_errors.append(error.message)


def invalid_fields(form):
    """List (field id, label, first error) of every invalid field, rows of lists included."""
    found = []
    for item in form:
        if item.type == "CSRFTokenField":
            continue
        if item.type == "FieldList":
            for entry in item:
                found += invalid_fields(entry.form) if entry.type == "FormField" else []
                if entry.type != "FormField" and entry.errors:
                    found.append((entry.id, item.label.text, entry.errors[0]))
        elif item.type == "FormField":
            found += invalid_fields(item.form)
        elif item.errors:
            found.append((item.id, item.label.text, item.errors[0]))
    return found


class NewAccountForm(AppForm):
    """A person coming from a link (a claim, an invitation) chooses a name and a password."""

    name = StringField(_l("Your name"), validators=[DataRequired(), Length(max=120)])
    password = PasswordField(_l("Choose a password"), validators=[DataRequired(), Length(max=128)])
    confirm = PasswordField(
        _l("Password again"),
        validators=[
            DataRequired(),
            EqualTo("password", message=_l("The two passwords do not match.")),
        ],
    )
