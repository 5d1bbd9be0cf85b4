"""The register of past plans: searchable, importable from CSV, cited by decisions, targets and
obstacles; decisions and follow-ups organisers show on the public page."""

from bazaar.database import write_transaction
from bazaar.errors import Invalid, NotFound
from bazaar.extensions import db
from bazaar.models import Decision, FollowUp, PastPlan, PublicDecision, PublicFollowUp
from bazaar.models.plan import decision_citations
from bazaar.services.audit import record_audit
from bazaar.services.imports import ImportReport, RowError, read_csv
from bazaar.services.plan import rules
from bazaar.text import normalize_search

COLUMNS = ("title", "agency", "years", "done", "outcome", "lesson")
OPTIONAL_COLUMNS = ("public",)
YES = {"1", "yes", "true", "بله", "آری", "عمومی"}


def _fill(plan, data):
    if not (data.get("title") or "").strip():
        raise Invalid("plan.title_required", field="title")
    try:
        plan.year_from, plan.year_to = rules.parse_years(data.get("years"))
    except ValueError:
        raise Invalid("plan.bad_years", field="years") from None
    plan.title = data["title"].strip()[:200]
    plan.agency = (data.get("agency") or "").strip()[:160]
    for name in ("done", "outcome", "lesson"):
        setattr(plan, name, (data.get(name) or "").strip())
    plan.public = bool(data.get("public"))
    texts = (plan.title, plan.agency, plan.done, plan.outcome, plan.lesson)
    plan.search_text = normalize_search(" ".join(texts))


def save_past_plan(actor, plan_id, *, now, **data):
    """Create (plan_id None) or change a past plan: title, agency, years, done, outcome, lesson,
    public."""
    with write_transaction():
        plan = PastPlan(created_at=now) if plan_id is None else get_past_plan(plan_id)
        _fill(plan, data)
        db.session.add(plan)
        record_audit("plan.past_plan", plan, actor=actor, now=now)
    return plan


def get_past_plan(plan_id):
    plan = db.session.get(PastPlan, plan_id)
    if plan is None:
        raise NotFound("plan.past_plan_not_found")
    return plan


def get_past_plans(ids, field="past_plan_ids"):
    """The past plans with these ids, or Invalid if any is unknown."""
    ids = set(ids or [])
    plans = db.session.scalars(db.select(PastPlan).where(PastPlan.id.in_(ids))).all()
    if len(plans) != len(ids):
        raise Invalid("plan.bad_past_plan", field=field)
    return sorted(plans, key=lambda p: p.id)


def search_past_plans(query="", *, public_only=False):
    """Past plans whose text holds every word of the query (any spelling), newest years first."""
    select = db.select(PastPlan).order_by(PastPlan.year_to.desc(), PastPlan.id.desc())
    for word in normalize_search(query or "").split()[:8]:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        select = select.where(PastPlan.search_text.like(f"%{escaped}%", escape="\\"))
    if public_only:
        select = select.where(PastPlan.public.is_(True))
    return db.session.scalars(select.limit(200)).all()


def import_past_plans(data, *, actor, now):
    """Import past plans from CSV (title, agency, years, done, outcome, lesson[, public]):
    all rows or none."""
    report = ImportReport(kind="past_plans")
    rows, errors = read_csv(data, COLUMNS, OPTIONAL_COLUMNS)
    report.errors.extend(errors)
    plans = []
    for number, row in rows:
        plan = PastPlan(created_at=now)
        try:
            _fill(plan, {**row, "public": row.get("public", "").lower() in YES})
        except Invalid as error:
            report.errors.append(RowError(number, error.params["field"], error.code))
        plans.append(plan)
    report.rows = len(rows)
    if not rows and not report.errors:
        report.errors.append(RowError(0, "", "import.empty"))
    if report.errors:
        return report
    with write_transaction():
        db.session.add_all(plans)
        record_audit("plan.past_plans_import", ("past_plans", None), actor=actor, now=now)
    report.created = len(plans)
    return report


def decision_citations_of(decision_id):
    query = (
        db.select(PastPlan)
        .join(decision_citations, decision_citations.c.past_plan_id == PastPlan.id)
        .where(decision_citations.c.decision_id == decision_id)
        .order_by(PastPlan.id)
    )
    return db.session.scalars(query).all()


def _toggle(model, key, value, wanted, now):
    row = db.session.get(model, value)
    if wanted and row is None:
        db.session.add(model(**{key: value}, published_at=now))
    elif not wanted and row is not None:
        db.session.delete(row)


def get_decision(decision_id):
    decision = db.session.get(Decision, decision_id)
    if decision is None:
        raise NotFound("plan.decision_not_found")
    return decision


def publish_decision(actor, decision_id, *, past_plan_ids, public, public_followup_ids, now):
    """Set what a decision cites, whether it and which of its follow-ups show publicly."""
    with write_transaction():
        decision = get_decision(decision_id)
        plans = get_past_plans(past_plan_ids)
        table = decision_citations
        db.session.execute(table.delete().where(table.c.decision_id == decision.id))
        if plans:
            rows = [{"decision_id": decision.id, "past_plan_id": p.id} for p in plans]
            db.session.execute(table.insert(), rows)
        _toggle(PublicDecision, "decision_id", decision.id, public, now)
        wanted = set(public_followup_ids or [])
        own = {f.id for f in decision.followups}
        if not wanted <= own:
            raise Invalid("plan.bad_choice", field="public_followup_ids")
        for followup_id in own:
            _toggle(PublicFollowUp, "followup_id", followup_id, followup_id in wanted, now)
        record_audit("plan.decision_public", decision, actor=actor, now=now, public=bool(public))
    return decision


def public_decisions():
    query = db.select(PublicDecision).order_by(PublicDecision.published_at.desc())
    return db.session.scalars(query).all()


def public_followups():
    query = (
        db.select(FollowUp)
        .join(PublicFollowUp, PublicFollowUp.followup_id == FollowUp.id)
        .order_by(FollowUp.due_on)
    )
    return db.session.scalars(query).all()


def is_public(model, key):
    return db.session.get(model, key) is not None
