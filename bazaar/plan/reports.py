"""Council reports: the list with the form to make one, the page to print, the stored PDF."""

from flask import flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from bazaar.access import role_required
from bazaar.errors import Refused
from bazaar.forms import attach_error
from bazaar.i18n import format_jalali_date
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.plan.blueprint import bp
from bazaar.plan.forms import ReportForm
from bazaar.plan.pdf import render_pdf
from bazaar.services import committees, statistics
from bazaar.services.plan import reports


def _report_form():
    form = ReportForm()
    form.meeting_id.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(str(m.id), f"{c.name} — {format_jalali_date(m.held_on)}")
        for c in committees.list_committees()
        for m in c.meetings
    ]
    form.snapshot_id.choices = [
        SelectChoice(str(s.id), _("Snapshot %(id)s", id=s.id)) for s in statistics.list_snapshots()
    ]
    return form


def _index(form, status=200):
    return render_template("plan/reports.html", reports=reports.list_reports(), form=form), status


@bp.get("/reports")
@role_required(Role.ORGANISER)
def reports_index():
    """The council reports made so far, with the form to make the next one."""
    return _index(_report_form())


@bp.post("/reports")
@role_required(Role.ORGANISER)
def create_report():
    """Make the report to a council meeting from a snapshot, and store its PDF."""
    form = _report_form()
    if form.validate_on_submit():
        try:
            report = reports.create_report(
                current_user,
                meeting_id=form.meeting_id.data,
                snapshot_id=form.snapshot_id.data,
                now=utcnow(),
                render_pdf=render_pdf,
            )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The report is made and its PDF stored."), "success")
            return redirect(url_for("plan.report", report_id=report.id))
    return _index(form, 400)


@bp.get("/reports/<int:report_id>")
@role_required(Role.ORGANISER)
def report(report_id):
    """The report as a page, printable on A4."""
    item = reports.get_report(report_id)
    return render_template("plan/report.html", report=item, content=item.content)


@bp.get("/reports/<int:report_id>.pdf")
@role_required(Role.ORGANISER)
def report_pdf(report_id):
    """The stored PDF, as made when the report was."""
    item = reports.get_report(report_id)
    return send_file(
        reports.pdf_path(item),
        mimetype="application/pdf",
        download_name=f"council-report-{item.id}.pdf",
    )
