"""The audit log said as sentences in the reader's language, with the objects' real names.

"‹organiser› allocated a stall at ‹bazaar› to ‹vendor›": each entry's action picks a sentence,
its actor and object are named as they are now, and the object links to its page.
"""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from bazaar.extensions import db
from bazaar.i18n import current_language, format_jalali_date, format_number
from bazaar.models import (
    Agency,
    Application,
    Bazaar,
    Committee,
    FollowUp,
    Meeting,
    Product,
    Restriction,
    Snapshot,
    User,
    Vendor,
)

SENTENCES = {
    "account.register": _l("%(actor)s created the account %(object)s"),
    "account.register_attempt": _l(
        "Someone tried to register again with the address of %(object)s"
    ),
    "account.login": _l("%(actor)s signed in"),
    "account.logout": _l("%(actor)s signed out"),
    "account.password_change": _l("%(actor)s changed the password of %(object)s"),
    "account.password_reset": _l("%(actor)s reset the password of %(object)s"),
    "account.password_reset_request": _l("A password reset was asked for %(object)s"),
    "account.role_change": _l("%(actor)s changed the role of %(object)s"),
    "account.disable": _l("%(actor)s disabled the account of %(object)s"),
    "account.enable": _l("%(actor)s enabled the account of %(object)s again"),
    "account.agency": _l("%(actor)s placed %(object)s in an agency"),
    "agency.create": _l("%(actor)s added the agency %(object)s"),
    "bazaar.create": _l("%(actor)s created %(object)s"),
    "bazaar.update": _l("%(actor)s edited %(object)s"),
    "bazaar.publish": _l("%(actor)s published %(object)s"),
    "bazaar.cancel": _l("%(actor)s cancelled %(object)s"),
    "bazaar.reschedule": _l("%(actor)s rescheduled %(object)s"),
    "bazaar.release": _l("%(object)s was released: gatherings are allowed again"),
    "bazaar.subscribe": _l("Someone asked to be told about %(object)s"),
    "bazaar.interest_confirm": _l("Someone confirmed they want to be told about %(object)s"),
    "bazaar.unsubscribe": _l("Someone left the list of %(object)s"),
    "committee.create": _l("%(actor)s created the committee %(object)s"),
    "committee.update": _l("%(actor)s edited the committee %(object)s"),
    "committee.meeting": _l("%(actor)s recorded %(object)s"),
    "reference.create": _l("%(actor)s added an item to the reference data"),
    "reference.update": _l("%(actor)s edited an item of the reference data"),
    "followup.create": _l("%(actor)s created the follow-up %(object)s"),
    "followup.comment": _l("%(actor)s commented on the follow-up %(object)s"),
    "followup.reassign": _l("%(actor)s handed over the follow-up %(object)s"),
    "followup.status": _l("%(actor)s changed the status of the follow-up %(object)s"),
    "import.vendors": _l("%(actor)s imported vendors from the licence system"),
    "import.products": _l("%(actor)s imported products"),
    "product.create": _l("%(actor)s added the product %(object)s"),
    "product.update": _l("%(actor)s edited the product %(object)s"),
    "product.delete": _l("%(actor)s deleted the product %(object)s"),
    "product.photo_add": _l("%(actor)s added a photo to %(object)s"),
    "product.photo_delete": _l("%(actor)s deleted a photo of %(object)s"),
    "product.photo_move": _l("%(actor)s reordered the photos of %(object)s"),
    "reference.seed": _l("%(actor)s loaded the reference data"),
    "restriction.record": _l("%(actor)s recorded the restriction %(object)s"),
    "restriction.set_end": _l("%(actor)s set the end date of the restriction %(object)s"),
    "restriction.lift": _l("%(actor)s lifted the restriction %(object)s"),
    "stall.apply": _l("%(actor)s applied for a stall: %(object)s"),
    "stall.allocated": _l("%(actor)s allocated a stall: %(object)s"),
    "stall.round": _l("The allocation round decided %(object)s"),
    "stall.round_run": _l("%(actor)s ran the allocation round of %(object)s"),
    "stall.confirm": _l("%(actor)s confirmed the stall: %(object)s"),
    "stall.declined": _l("%(actor)s declined the stall: %(object)s"),
    "stall.withdraw": _l("%(actor)s withdrew the application: %(object)s"),
    "stall.withdrawn": _l("%(actor)s withdrew the application: %(object)s"),
    "stall.removed": _l("%(actor)s removed the allocation: %(object)s"),
    "stall.move": _l("%(actor)s moved the application to another stall type: %(object)s"),
    "stall.promote": _l("A freed stall passed from the waiting list: %(object)s"),
    "stall.reconfirm": _l("The stall must be confirmed again: %(object)s"),
    "stall.expired": _l("The stall was not confirmed in time: %(object)s"),
    "stall.cancelled": _l("The application ended with the bazaar: %(object)s"),
    "statistics.snapshot": _l("%(actor)s published %(object)s"),
    "vendor.create": _l("%(actor)s created the vendor profile %(object)s"),
    "vendor.update": _l("%(actor)s edited the vendor profile %(object)s"),
    "vendor.submit": _l("%(actor)s sent %(object)s for verification"),
    "vendor.verify": _l("%(actor)s verified %(object)s"),
    "vendor.reject": _l("%(actor)s sent %(object)s back for changes"),
    "vendor.suspend": _l("%(actor)s suspended %(object)s"),
    "vendor.claim": _l("%(actor)s claimed the business %(object)s"),
    "vendor.inquiry": _l("A customer sent %(object)s a question"),
    "vendor.change_propose": _l("%(actor)s proposed changes to %(object)s"),
    "vendor.change_approve": _l("%(actor)s approved the changes of %(object)s"),
    "vendor.change_return": _l("%(actor)s sent back the changes of %(object)s"),
    "vendor.change_withdraw": _l("%(actor)s withdrew the changes of %(object)s"),
    "vendor.paper_soon": _l("%(object)s was warned that a paper expires soon"),
    "vendor.paper_expired": _l("%(object)s was told that a paper has expired"),
}
# Actions added later than this table still read as a sentence; the CSV keeps their code.
GENERIC = _l("%(actor)s made a change to %(object)s")


def _bazaar_link(bazaar):
    return bazaar.title, url_for("bazaars.view", bazaar_id=bazaar.id)


def _application(item):
    text = _("%(vendor)s at %(bazaar)s", vendor=item.vendor.business_name, bazaar=item.bazaar.title)
    return text, url_for("stalls.bazaar", bazaar_id=item.bazaar_id)


# object_type: (model, how to name it and where it links)
OBJECTS = {
    "bazaars": (Bazaar, _bazaar_link),
    "vendors": (Vendor, lambda v: (v.business_name, url_for("vendors.review", vendor_id=v.id))),
    "products": (Product, lambda p: (p.name, url_for("catalogue.product", product_id=p.id))),
    "users": (User, lambda u: (u.name, url_for("admin.users", q=u.email or u.mobile))),
    "applications": (Application, _application),
    "committees": (Committee, lambda c: (c.name, url_for("committees.view", committee_id=c.id))),
    "followups": (FollowUp, lambda f: (f.title, url_for("followups.view", followup_id=f.id))),
    "restrictions": (
        Restriction,
        lambda r: (_("decision %(ref)s", ref=r.reference), url_for("restrictions.index")),
    ),
    "snapshots": (
        Snapshot,
        lambda s: (
            _("Snapshot %(id)s", id=format_number(s.id)),
            url_for("statistics.snapshot", snapshot_id=s.id),
        ),
    ),
    "meetings": (
        Meeting,
        lambda m: (
            _(
                "the meeting of %(committee)s on %(date)s",
                committee=m.committee.name,
                date=format_jalali_date(m.held_on),
            ),
            url_for("committees.view", committee_id=m.committee_id),
        ),
    ),
    "agencies": (
        Agency,
        lambda a: (a.name_in(current_language()), url_for("committees.agencies")),
    ),
}


def load_objects(entries):
    """Fetch every object the entries name, one query per type: {(type, id): object}."""
    wanted = {}
    for entry in entries:
        if entry.object_type in OBJECTS and entry.object_id and entry.object_id.isdigit():
            wanted.setdefault(entry.object_type, set()).add(int(entry.object_id))
    found = {}
    for kind, ids in wanted.items():
        model = OBJECTS[kind][0]
        for item in db.session.scalars(db.select(model).where(model.id.in_(ids))):
            found[(kind, str(item.id))] = item
    return found


def name_object(entry, objects):
    """(name, url or None) of an entry's object; a deleted object keeps its type and number."""
    item = objects.get((entry.object_type, entry.object_id))
    if item is None:
        return f"{entry.object_type} {entry.object_id or ''}".strip(), None
    try:
        return OBJECTS[entry.object_type][1](item)
    except AttributeError:  # a model without the attribute this type names it by
        return f"{entry.object_type} {entry.object_id}", None


def sentence(entry, objects, *, links=True):
    """Say what the entry records; with `links`, as HTML whose names link to their pages."""
    actor = entry.actor.name if entry.actor else _("the system")
    name, url = name_object(entry, objects)
    if links:
        shown = Markup('<a href="%s">%s</a>') % (url, name) if url else escape(name)
        params = {"actor": Markup("<strong>%s</strong>") % actor, "object": shown}
    else:
        params = {"actor": actor, "object": name}
    template = SENTENCES.get(entry.action, GENERIC)
    text = str(template)
    if links:
        return escape(text) % params
    return text % params
