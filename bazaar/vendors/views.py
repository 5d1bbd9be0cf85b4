"""Vendor pages: a vendor's profile and dashboard; the organisers' verification queue."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from bazaar.access import role_required, start_session
from bazaar.errors import Refused, TooLarge
from bazaar.forms import attach_error, id_choices
from bazaar.i18n import current_language, local_date
from bazaar.models import Role, VendorStatus
from bazaar.models.types import utcnow
from bazaar.services import catalogue, claims, reference, vendors
from bazaar.vendors.forms import ClaimForm, DecisionForm, ProfileForm, SubmitForm

bp = Blueprint("vendors", __name__, url_prefix="/vendors")

DECISIONS = {
    "verify": _l("The vendor is verified and now public."),
    "reject": _l("The profile was sent back with your reason."),
    "suspend": _l("The vendor is suspended and hidden from the catalogue."),
}
CHANGE_DECISIONS = {
    "approve": _l("The changes are approved and now public."),
    "return": _l("The changes were sent back with your reason."),
}


def _profile_form(values=None):
    """The profile form, filled from `values` on GET (None on POST: the request fills it)."""
    form = ProfileForm(data=values)
    language = current_language()
    form.county_id.choices = id_choices(reference.list_counties(), language, blank=_("Choose…"))
    # Each district names its county, so the list can follow the chosen county (app.js).
    form.district_id.choices = [SelectChoice("", _("None"))] + [
        SelectChoice(str(d.id), d.name_in(language), render_kw={"data-county": str(d.parent_id)})
        for d in reference.list_districts()
    ]
    # Fields that need a health ID carry the star the help text speaks of.
    form.field_id.choices = [SelectChoice("", _("Choose…"))] + [
        SelectChoice(str(f.id), f"{f.name_in(language)}{' ★' if f.starred else ''}")
        for f in reference.list_fields()
    ]
    return form


@bp.get("/me")
@role_required(Role.VENDOR)
def dashboard():
    """Show the vendor's status, papers, changes under review and products."""
    vendor = vendors.find_vendor_for_user(current_user)
    flags = vendors.paper_flags(vendor, local_date(utcnow())) if vendor else []
    products = catalogue.list_own_products(current_user)
    return render_template(
        "vendors/dashboard.html",
        vendor=vendor,
        flags=flags,
        products=products,
        latest_change=vendors.find_latest_change(vendor) if vendor else None,
        submit_form=SubmitForm(),
    )


@bp.get("/me/profile")
@role_required(Role.VENDOR)
def profile_form():
    """Show the profile form as the vendor last typed it, pending changes included."""
    vendor = vendors.find_vendor_for_user(current_user)
    return render_template(
        "vendors/profile.html",
        form=_profile_form(vendors.profile_values(vendor, current_user)),
        vendor=vendor,
    )


@bp.post("/me/profile")
@role_required(Role.VENDOR)
def update_profile():
    """Save the profile; changes to verified details wait for review (see save_profile)."""
    form = _profile_form()
    if form.validate_on_submit():
        logo = form.logo.data.read() if form.logo.data else None
        try:
            vendor = vendors.save_profile(
                current_user,
                now=utcnow(),
                logo_data=logo,
                **{name: form[name].data for name in vendors.PROFILE_FIELDS},
            )
        except TooLarge:
            abort(413)
        except Refused as error:
            attach_error(form, error, default="logo")
        else:
            if vendor.pending_change is not None:
                flash(
                    _(
                        "Your profile is saved. Changes to what the organisers verified wait "
                        "for their review; until then your verified details stay public."
                    ),
                    "info",
                )
            else:
                flash(_("Your profile is saved."), "success")
            return redirect(url_for("vendors.dashboard"))
    vendor = vendors.find_vendor_for_user(current_user)
    return render_template("vendors/profile.html", form=form, vendor=vendor), 400


@bp.post("/me/submit")
@role_required(Role.VENDOR)
def submit():
    """Send a draft or sent-back profile to the organisers for verification."""
    if not SubmitForm().validate_on_submit():
        abort(400)
    try:
        vendors.submit_profile(current_user, now=utcnow())
    except Refused as error:
        flash(error.message, "danger")
    else:
        flash(_("Your profile was sent to the organisers for verification."), "success")
    return redirect(url_for("vendors.dashboard"))


PAPERS = ("attention", "expired")


def _search_args():
    """The vendor list's search and filters from the query string (ignored when malformed)."""
    sort = request.args.get("sort", "submitted")
    return {
        "q": request.args.get("q", "").strip()[:100] or None,
        "county_id": request.args.get("county", type=int),
        "field_id": request.args.get("field", type=int),
        "sort": sort if sort in vendors.SORTS else "submitted",
    }


@bp.get("/queue")
@role_required(Role.ORGANISER)
def queue():
    """List vendors by status, with papers needing attention, or with changes to review."""
    status = request.args.get("status", VendorStatus.PENDING.value)
    if status not in VendorStatus.__members__.values() and status not in ("all", "changes"):
        status = VendorStatus.PENDING.value
    papers = request.args.get("papers") if request.args.get("papers") in PAPERS else None
    search = _search_args()
    today = local_date(utcnow())
    pagination = vendors.list_vendors(
        status=None if status in ("all", "changes") else status,
        papers=papers,
        changes=status == "changes",
        **search,
        page=request.args.get("page", 1, type=int),
        per_page=current_app.config["ITEMS_PER_PAGE"],
        today=today,
    )
    return render_template(
        "vendors/queue.html",
        page_obj=pagination,
        status=status,
        papers=papers,
        search=search,
        counties=reference.list_counties(),
        fields=reference.list_fields(),
        counts=vendors.count_by_status(),
        pending_changes=vendors.count_pending_changes(),
        flags={vendor.id: vendors.paper_flags(vendor, today) for vendor in pagination.items},
        changes={
            vendor.id: vendors.change_rows(vendor, vendor.pending_change)
            for vendor in pagination.items
            if vendor.pending_change is not None
        },
    )


@bp.get("/<int:vendor_id>/review")
@role_required(Role.ORGANISER)
def review(vendor_id):
    """Show a vendor's profile and papers to organisers, with any change waiting for review."""
    vendor = vendors.get_vendor(vendor_id)
    flags = vendors.paper_flags(vendor, local_date(utcnow()))
    change = vendor.pending_change
    return render_template(
        "vendors/review.html",
        vendor=vendor,
        flags=flags,
        form=DecisionForm(seen=vendors.profile_version(vendor)),
        change=change,
        change_rows=vendors.change_rows(vendor, change) if change else [],
        change_form=DecisionForm(prefix="change"),
    )


@bp.post("/<int:vendor_id>/<any(verify, reject, suspend):decision>")
@role_required(Role.ORGANISER)
def decide(vendor_id, decision):
    """Verify, reject or suspend a vendor from the review page."""
    form = DecisionForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        vendors.decide_vendor(
            current_user,
            vendor_id,
            decision,
            reason=form.reason.data,
            seen=form.seen.data or "",  # a missing one refuses, never skips the check
            now=utcnow(),
        )
    except Refused as error:
        flash(error.message, "danger")
        return redirect(url_for("vendors.review", vendor_id=vendor_id))
    flash(str(DECISIONS[decision]), "success")
    return redirect(url_for("vendors.queue"))


@bp.post("/changes/<int:change_id>/<any(approve, return):decision>")
@role_required(Role.ORGANISER)
def decide_change(change_id, decision):
    """Approve a vendor's pending change, or send it back with a reason."""
    form = DecisionForm(prefix="change")
    if not form.validate_on_submit():
        abort(400)
    if decision == "approve":
        vendors.approve_change(current_user, change_id, now=utcnow())
    else:
        vendors.return_change(current_user, change_id, reason=form.reason.data, now=utcnow())
    flash(str(CHANGE_DECISIONS[decision]), "success")
    return redirect(url_for("vendors.queue", status="changes"))


@bp.get("/claim/<token>")
def claim_form(token):
    """Show the form that links an imported business to a new account."""
    vendor = claims.find_claimable_vendor(token, utcnow())
    if vendor is None:
        flash(
            _("This link is invalid, has expired, or the business was already claimed."), "danger"
        )
        return redirect(url_for("main.index"))
    return render_template(
        "vendors/claim.html", form=ClaimForm(name=vendor.owner_name), vendor=vendor, token=token
    )


@bp.post("/claim/<token>")
def claim(token):
    """Create the account for an imported business from its claim link and sign in."""
    form = ClaimForm()
    vendor = claims.find_claimable_vendor(token, utcnow())
    if vendor is None:
        abort(404)
    if form.validate_on_submit():
        try:
            user = claims.claim_vendor(
                token, name=form.name.data, password=form.password.data, now=utcnow()
            )
        except Refused as error:
            attach_error(form, error, {"password.": "password"})
        else:
            start_session(user)
            flash(_("Welcome! Your business is now linked to your account."), "success")
            return redirect(url_for("vendors.dashboard"))
    return render_template("vendors/claim.html", form=form, vendor=vendor, token=token), 400
