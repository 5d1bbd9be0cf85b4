"""Council reports: one per council meeting, its content frozen from a snapshot, and its PDF."""

import os
from pathlib import Path

from flask import current_app

from bazaar.database import write_transaction
from bazaar.errors import Conflict, Invalid, NotFound
from bazaar.extensions import db
from bazaar.i18n import local_date
from bazaar.models import CouncilReport, FollowUp, FollowUpStatus, Meeting, Snapshot
from bazaar.services.audit import record_audit
from bazaar.services.bazaars.listing import list_public_bazaars
from bazaar.services.plan import register, rules, targets
from bazaar.services.statistics.snapshots import get_snapshot


def _figures(snapshot, before):
    """The snapshot's figures, each with the value in the previous report's snapshot."""
    old = before.figures["metrics"] if before is not None else {}
    figures = []
    for key, figure in snapshot.figures["metrics"].items():
        previous = old.get(key)
        was = rules.figure_value(previous)
        rows = [
            [fa, en, value, rules.figure_value(previous, fa) if previous else None]
            for fa, en, value in figure["rows"]
        ]
        figures.append(
            {
                "key": key,
                "name": figure["name"],
                "unit": figure["unit"],
                "total": figure["total"],
                "before": was,
                "change": rules.change(was, figure["total"]),
                "rows": rows,
            }
        )
    return figures


def _behind(snapshot):
    snapshots = db.session.scalars(
        db.select(Snapshot).where(Snapshot.id <= snapshot.id).order_by(Snapshot.published_at)
    ).all()
    rows = []
    for target in targets.list_targets():
        progress = targets.target_progress(target, snapshots)
        if progress.state == rules.BEHIND:
            rows.append(
                {
                    "committee": target.committee.name,
                    "metric": target.metric_key,
                    "row": targets.row_label(target),
                    "value": target.value,
                    "due_on": target.due_on.isoformat(),
                    "current": progress.current,
                }
            )
    return rows


def _overdue(today):
    query = (
        db.select(FollowUp)
        .where(FollowUp.status != FollowUpStatus.DONE.value, FollowUp.due_on < today)
        .order_by(FollowUp.committee_id, FollowUp.responsible_id, FollowUp.due_on)
    )
    return [
        {
            "committee": f.committee.name,
            "responsible": f.responsible.name,
            "title": f.title,
            "due_on": f.due_on.isoformat(),
        }
        for f in db.session.scalars(query)
    ]


def _obstacles(today):
    return [
        {
            "committee": e.committee.name,
            "kind": e.kind,
            "title": e.title,
            "responsible": e.responsible.name,
            "status": e.status,
            "due_on": e.due_on.isoformat() if e.due_on else None,
            "overdue": rules.is_overdue(e.status, e.due_on, today),
        }
        for e in register.list_obstacles(open_only=True)
    ]


def _held(now):
    return [
        {
            "title": bazaar.title,
            "starts_at": bazaar.starts_at.isoformat(),
            "restrictions": [f"{r.body} — {r.reference}" for r in state.restrictions],
        }
        for bazaar, state in list_public_bazaars(now=now)
        if state.is_held
    ]


def build_content(snapshot, previous, now):
    """What a report says, frozen: figures since the previous report and the open matters."""
    today = local_date(now)
    before = previous.snapshot if previous is not None else None
    return {
        "snapshot_id": snapshot.id,
        "snapshot_at": snapshot.published_at.isoformat(),
        "previous_snapshot_id": before.id if before is not None else None,
        "figures": _figures(snapshot, before),
        "targets_behind": _behind(snapshot),
        "overdue_followups": _overdue(today),
        "obstacles": _obstacles(today),
        "held_bazaars": _held(now),
    }


def reports_dir():
    """Where report PDFs are stored: instance/reports."""
    return Path(current_app.instance_path) / "reports"


def create_report(actor, *, meeting_id, snapshot_id, now, render_pdf):
    """Make the report to a meeting from a snapshot and store its PDF; return the report.

    `render_pdf(report)` returns the PDF's bytes (the web layer owns the template).
    """
    if meeting_id is None:
        raise Invalid("plan.meeting_required", field="meeting_id")
    with write_transaction():
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None:
            raise Invalid("plan.meeting_required", field="meeting_id")
        if db.session.scalar(
            db.select(CouncilReport.id).where(CouncilReport.meeting_id == meeting.id)
        ):
            raise Conflict("plan.report_exists", field="meeting_id")
        snapshot = get_snapshot(snapshot_id or 0)
        previous = db.session.scalars(
            db.select(CouncilReport).order_by(CouncilReport.id.desc()).limit(1)
        ).first()
        report = CouncilReport(
            meeting=meeting,
            snapshot=snapshot,
            previous_id=previous.id if previous else None,
            created_at=now,
            created_by_id=actor.id,
            content=build_content(snapshot, previous, now),
        )
        db.session.add(report)
        record_audit("plan.report", report, actor=actor, now=now, snapshot=snapshot.id)
    store_pdf(report.id, render_pdf(report))
    return report


def store_pdf(report_id, pdf):
    """Write the report's PDF under instance/reports (atomically) and record its name."""
    folder = reports_dir()
    folder.mkdir(parents=True, exist_ok=True)
    name = f"council-report-{report_id}.pdf"
    partial = folder / f".{name}.partial"
    partial.write_bytes(pdf)
    os.replace(partial, folder / name)
    with write_transaction():
        get_report(report_id).pdf_name = name
    return folder / name


def get_report(report_id):
    report = db.session.get(CouncilReport, report_id)
    if report is None:
        raise NotFound("plan.report_not_found")
    return report


def list_reports():
    return db.session.scalars(db.select(CouncilReport).order_by(CouncilReport.id.desc())).all()


def pdf_path(report):
    """The stored PDF's path, or NotFound if it was never written."""
    if not report.pdf_name:
        raise NotFound("plan.report_not_found")
    return reports_dir() / report.pdf_name
