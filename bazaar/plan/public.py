"""The public progress page (no sign-in) and its Atom feed; organisers record visitors."""

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from flask import Response, current_app, flash, redirect, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from bazaar.access import role_required
from bazaar.errors import Refused
from bazaar.forms import attach_error
from bazaar.links import external_url
from bazaar.models import Role
from bazaar.models.types import utcnow
from bazaar.plan.blueprint import bp
from bazaar.plan.forms import VisitorsForm
from bazaar.plan.views import target_title
from bazaar.services.bazaars import listing
from bazaar.services.followups import rules as followup_rules
from bazaar.services.plan import past, public

ATOM = "http://www.w3.org/2005/Atom"


@bp.get("/progress")
def progress():
    """What the plan did, for everyone: public figures, decisions, follow-ups and bazaars."""
    now = utcnow()
    return render_template(
        "plan/progress.html",
        cards=public.public_cards(current_app.config["PUBLIC_METRICS"]),
        decisions=past.public_decisions(),
        followups=past.public_followups(),
        bazaars=public.bazaar_figures(now=now),
        lessons=past.search_past_plans(public_only=True),
        followup_rules=followup_rules,
    )


def _entry_text(kind, item):
    if kind == "decision":
        return _("Decision"), item.decision.text
    if kind == "target":
        return _("Target: %(value)s by %(date)s.", value=item.value, date=item.due_on), (
            target_title(item)
        )
    return _("Snapshot %(id)s", id=item.id), _("The figures of snapshot %(id)s.", id=item.id)


@bp.get("/progress.atom")
def feed():
    """The progress page's news as an Atom feed, in Persian: decisions, targets, snapshots."""
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed", {"{http://www.w3.org/XML/1998/namespace}lang": "fa"})
    page = external_url("plan.progress")
    with force_locale("fa"):
        entries = public.feed_entries()
        ET.SubElement(root, f"{{{ATOM}}}title").text = _("Progress of the home-business plan")
        ET.SubElement(root, f"{{{ATOM}}}id").text = page
        ET.SubElement(root, f"{{{ATOM}}}link", {"href": page})
        ET.SubElement(root, f"{{{ATOM}}}link", {"rel": "self", "href": external_url("plan.feed")})
        newest = entries[0][2] if entries else datetime(2026, 1, 1, tzinfo=UTC)
        ET.SubElement(root, f"{{{ATOM}}}updated").text = newest.isoformat()
        author = ET.SubElement(root, f"{{{ATOM}}}author")
        ET.SubElement(author, f"{{{ATOM}}}name").text = _("Bazaar of home businesses")
        for kind, key, at, item in entries:
            title, summary = _entry_text(kind, item)
            entry = ET.SubElement(root, f"{{{ATOM}}}entry")
            ET.SubElement(entry, f"{{{ATOM}}}title").text = str(title)
            ET.SubElement(entry, f"{{{ATOM}}}id").text = f"{page}#{kind}-{key}"
            ET.SubElement(entry, f"{{{ATOM}}}link", {"href": f"{page}#{kind}-{key}"})
            ET.SubElement(entry, f"{{{ATOM}}}updated").text = at.isoformat()
            ET.SubElement(entry, f"{{{ATOM}}}summary").text = str(summary)
    body = ET.tostring(root, encoding="unicode", xml_declaration=True)
    return Response(body, mimetype="application/atom+xml")


def _visitors_form():
    form = VisitorsForm()
    ended = [b for b, _state in listing.list_all_bazaars(now=utcnow()) if b.ends_at < utcnow()]
    form.bazaar_id.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(str(b.id), b.title) for b in ended
    ]
    return form


@bp.get("/visitors")
@role_required(Role.ORGANISER)
def visitors_form():
    return render_template("plan/visitors.html", form=_visitors_form())


@bp.post("/visitors")
@role_required(Role.ORGANISER)
def record_visitors():
    """Record how many visitors a bazaar that has ended served."""
    form = _visitors_form()
    if form.validate_on_submit():
        try:
            public.record_visitors(
                current_user, form.bazaar_id.data, form.visitors.data, now=utcnow()
            )
        except Refused as error:
            attach_error(form, error)
        else:
            flash(_("The visitors are recorded."), "success")
            return redirect(url_for("plan.progress"))
    return render_template("plan/visitors.html", form=form), 400
