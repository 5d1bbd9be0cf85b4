"""Forms of the plan pages: targets, register entries, past plans, decisions, reports, visitors."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from bazaar.committees.forms import checkboxes
from bazaar.forms import AppForm, IdSelectField, JalaliDateField, LocalizedIntegerField


class TargetForm(AppForm):
    committee_id = IdSelectField(_l("Committee whose share it is"), validators=[DataRequired()])
    metric_key = SelectField(_l("Figure"), validators=[DataRequired()])
    county_id = IdSelectField(_l("County (optional)"), validators=[Optional()])
    field_id = IdSelectField(_l("Field (optional)"), validators=[Optional()])
    value = LocalizedIntegerField(_l("Target value"), validators=[InputRequired()])
    due_on = JalaliDateField(_l("To reach by"), validators=[InputRequired()])
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=300)])
    public = BooleanField(_l("Show on the public progress page"))
    past_plan_ids = checkboxes(_l("Past plans it cites"))


class ReviseTargetForm(AppForm):
    value = LocalizedIntegerField(_l("Target value"), validators=[InputRequired()])
    due_on = JalaliDateField(_l("To reach by"), validators=[InputRequired()])
    note = StringField(_l("Note (optional)"), validators=[Optional(), Length(max=300)])
    public = BooleanField(_l("Show on the public progress page"))
    past_plan_ids = checkboxes(_l("Past plans it cites"))


class ObstacleForm(AppForm):
    kind = SelectField(_l("Kind"), validators=[DataRequired()])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=4000)])
    responsible_id = IdSelectField(_l("Responsible person"), validators=[DataRequired()])
    status = SelectField(_l("Status"), validators=[DataRequired()])
    due_on = JalaliDateField(_l("Due on (optional)"), validators=[Optional()])
    agency_ids = checkboxes(_l("Agencies it needs"))
    followup_ids = checkboxes(_l("Follow-ups working on it"))
    past_plan_ids = checkboxes(_l("Past plans it cites"))


class PastPlanForm(AppForm):
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=200)])
    agency = StringField(_l("Agency"), validators=[Optional(), Length(max=160)])
    years = StringField(_l("Years (e.g. 1397-1399)"), validators=[DataRequired(), Length(max=20)])
    done = TextAreaField(_l("What was done"), validators=[Optional(), Length(max=4000)])
    outcome = TextAreaField(_l("What came of it"), validators=[Optional(), Length(max=4000)])
    lesson = TextAreaField(_l("The lesson"), validators=[Optional(), Length(max=4000)])
    public = BooleanField(_l("Show on the public progress page"))


class PastPlanImportForm(AppForm):
    file = FileField(_l("CSV file (UTF-8)"), validators=[FileRequired()])


class DecisionForm(AppForm):
    past_plan_ids = checkboxes(_l("Past plans it cites"))
    public = BooleanField(_l("Show the decision on the public progress page"))
    public_followup_ids = checkboxes(_l("Its follow-ups shown publicly"))


class ReportForm(AppForm):
    meeting_id = IdSelectField(_l("Council meeting"), validators=[DataRequired()])
    snapshot_id = IdSelectField(_l("Snapshot it quotes"), validators=[DataRequired()])


class VisitorsForm(AppForm):
    bazaar_id = IdSelectField(_l("Bazaar"), validators=[DataRequired()])
    visitors = LocalizedIntegerField(_l("Visitors"), validators=[InputRequired()])
