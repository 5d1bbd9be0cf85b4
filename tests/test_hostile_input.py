"""Hostile input on every route, as every role, never answers 5xx.

The routes come from app.url_map, so a new route is covered the day it is added: integer URL
parts past 64 bits or in odd digits, hostile query values, and hostile form posts. A small
world (one of each object) lets routes with ids find real objects too.
"""

import io
import re
from datetime import timedelta
from html.parser import HTMLParser

import pytest
from PIL import Image
from werkzeug.routing import IntegerConverter

from bazaar.extensions import db
from bazaar.models import Category, Message, ProductPhoto, Region, Role
from bazaar.services import catalogue, committees, stalls, statistics
from tests.conftest import NOW, reference_ids

ROLES = ("anonymous", "vendor", "organiser", "admin")
# Past 64 bits, a superscript (str.isdigit() says yes), Persian, Devanagari, negative.
# 2**31: one past PostgreSQL's `integer` (ids, counts); 2**63: one past a 64-bit number.
ODD_INTEGERS = (str(2**70), str(2**31), str(2**63), "²", "۱۲", "१२", "-1")
QUERY_ARGS = (
    "page",
    "county",
    "category",
    "actor",
    "q",
    "sort",
    "min_price",
    "max_price",
    "price_min",
    "price_max",
    "status",
    "field",
    "vendor",
    "year",
    "month",
    "a",
    "b",
    "type",
    "availability",
    "papers",
    "since",
    "until",
    "next",
    "about",
)
HOSTILE_VALUES = (str(2**70), str(2**31), "²", "-1", "\x00", "' OR 1=1 --", "9" * 5000, "ي" * 500)
# Each value goes in every argument at once; the very long one only in the free-text ones.
HOSTILE_QUERIES = [dict.fromkeys(QUERY_ARGS, value) for value in HOSTILE_VALUES] + [
    dict.fromkeys(("q", "about", "next"), "ي" * 10_000)
]
FORM_VALUES = ("a\x00b", "x" * 10_000, "²", "۱۲", str(2**70), str(2**31), "-1")
FIELD_VALUES = ("a\x00b", "x" * 10_000, "²", str(2**70), str(2**31))
PARAMETER = re.compile(r"<(?:(\w+)(?:\(([^)]*)\))?:)?(\w+)>")


def png():
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (10, 120, 60)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def world(make_user, make_vendor, make_product, make_bazaar, make_restriction, organiser):
    """One of each object, and the users who see them; return (users by role, ids by name)."""
    admin = make_user(role=Role.ADMIN)
    victim = make_user()
    vendor = make_vendor()
    product = make_product(vendor=vendor)
    catalogue.add_photo(vendor.user, product.id, png(), now=NOW)
    bazaar = make_bazaar(day=(NOW + timedelta(days=20)).date())
    stall_type = next(s for s in bazaar.stall_types if s.is_food)
    application = stalls.apply_for_stall(
        vendor.user, bazaar.id, stall_type.id, [reference_ids(Category)["pickles"]], "", now=NOW
    )
    restriction = make_restriction(county="kahak")
    committee = committees.create_committee(
        organiser, name="کمیته", mandate="m", chair_id=organiser.id, member_ids=[], now=NOW
    )
    followup = committees.create_followup(
        organiser,
        committee.id,
        title="کار",
        responsible_id=organiser.id,
        due_on=NOW.date(),
        now=NOW,
    )
    snapshot = statistics.publish_snapshot(organiser, now=NOW)
    message = db.session.scalar(db.select(Message).where(Message.user_id == vendor.user.id))
    ids = {
        "user_id": victim.id,
        "vendor_id": vendor.id,
        "product_id": product.id,
        "photo_id": db.session.scalar(db.select(ProductPhoto.id)),
        "bazaar_id": bazaar.id,
        "application_id": application.id,
        "restriction_id": restriction.id,
        "committee_id": committee.id,
        "followup_id": followup.id,
        "snapshot_id": snapshot.id,
        "message_id": message.id,
        "item_id": reference_ids(Region)["qom"],
    }
    users = {"anonymous": None, "vendor": vendor.user, "organiser": organiser, "admin": admin}
    return users, ids


def sign_in(client, user):
    """Put the user's session in the client's cookie (or none); cheaper than the login form."""
    with client.session_transaction() as session:
        session.clear()
        if user is not None:
            session["_user_id"] = user.get_id()
            session["_fresh"] = True


def routes(app, method):
    rules = [r for r in app.url_map.iter_rules() if method in r.methods and r.endpoint != "static"]
    return sorted(rules, key=lambda r: r.rule)


def int_parameters(rule):
    return [name for name, kind in rule._converters.items() if isinstance(kind, IntegerConverter)]


def build(rule, ids, **override):
    """Fill a rule's parameters: `override`, else the world's ids, else a plausible word."""

    def value(match):
        kind, args, name = match.groups()
        if name in override:
            return override[name]
        if kind == "any":
            return args.split(",")[0].strip().strip("'\"")
        if kind == "int":
            return str(ids.get(name, 1))
        return {"kind": "regions", "code": "fa", "name": "x.jpg"}.get(name, "token")

    return PARAMETER.sub(value, rule.rule)


def request(client, failures, method, url, **kwargs):
    """Send one request; record a 5xx (or an exception the app let through)."""
    try:
        response = client.open(url, method=method, **kwargs)
    except Exception as exc:
        db.session.rollback()
        failures.append(f"{method} {url[:120]!r}: {exc!r}"[:400])
        return None
    if response.status_code >= 500:
        failures.append(f"{method} {url[:120]!r}: {response.status_code}")
    return response


class Forms(HTMLParser):
    """Collect a page's POST forms: action and the values a user would send unchanged."""

    def __init__(self):
        super().__init__()
        self.forms, self.names = [], set()
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "form":
            post = (attrs.get("method") or "get").lower() == "post"
            self._form = (attrs.get("action") or "", {}) if post else None
            if post:
                self.forms.append(self._form)
        if tag in ("input", "select", "textarea") and name and name != "csrf_token":
            self.names.add(name)
        if self._form is None or not name or name == "csrf_token":
            if tag == "option" and self._select is not None:
                self._option(attrs)
            return
        values = self._form[1]
        if tag == "input" and attrs.get("type") not in ("submit", "file", "button", "image"):
            if attrs.get("type") not in ("checkbox", "radio") or "checked" in attrs:
                values.setdefault(name, attrs.get("value") or ("y" if "checked" in attrs else ""))
            else:
                values.setdefault(name, "")
        elif tag == "select":
            self._select = name
        elif tag == "textarea":
            self._textarea = name
            values[name] = ""

    def _option(self, attrs):
        values = self._form[1] if self._form else {}
        if not values.get(self._select) or "selected" in attrs:
            values[self._select] = attrs.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._form is not None and self._textarea is not None:
            self._form[1][self._textarea] += data


def read_forms(app, client, ids):
    """GET every page; return every field name seen and one POST form per endpoint."""
    parser, adapter = Forms(), app.url_map.bind("localhost")
    for rule in routes(app, "GET"):
        response = client.get(build(rule, ids))
        if response.status_code == 200 and response.mimetype == "text/html":
            parser.feed(response.get_data(as_text=True))
    forms = {}
    for action, values in parser.forms:
        try:
            endpoint, _args = adapter.match(action.split("?")[0], method="POST")
        except Exception:  # noqa: S112 (a form posting elsewhere, or to its own GET page)
            continue
        forms.setdefault(endpoint, (action, values))
    return parser.names, forms


@pytest.mark.parametrize("role", ROLES)
def test_odd_integers_in_url_parts_are_never_a_server_error(app, client, world, role):
    users, ids = world
    sign_in(client, users[role])
    failures = []
    for rule in routes(app, "GET"):
        for name in int_parameters(rule):
            for odd in ODD_INTEGERS:
                request(client, failures, "GET", build(rule, ids, **{name: odd}))
    assert failures == []


@pytest.mark.parametrize("role", ROLES)
def test_hostile_query_values_are_never_a_server_error(app, client, world, role):
    users, ids = world
    sign_in(client, users[role])
    failures = []
    for rule in routes(app, "GET"):
        url = build(rule, ids)
        for query in HOSTILE_QUERIES:
            request(client, failures, "GET", url, query_string=query)
    assert failures == []


@pytest.mark.parametrize("role", ROLES)
def test_hostile_form_posts_are_never_a_server_error(app, client, world, role):
    users, ids = world
    # Every field name any page offers, read as the admin (who sees every form).
    sign_in(client, users["admin"])
    names, _forms = read_forms(app, client, ids)
    assert {"title", "price_toman", "stall_types-0-count", "identifier"} <= names
    failures = []
    for rule in routes(app, "POST"):
        url = build(rule, ids)
        for hostile in FORM_VALUES:
            sign_in(client, users[role])
            request(client, failures, "POST", url, data=dict.fromkeys(names, hostile))
    assert failures == []


@pytest.mark.parametrize("role", ROLES)
def test_one_hostile_field_in_a_good_form_is_never_a_server_error(app, client, world, role):
    """Each field of each form the role sees, made hostile while the others keep good values.

    A form whose every field is hostile fails validation at once; one bad field among good
    ones reaches the service, where the 500s hide.
    """
    users, ids = world
    sign_in(client, users[role])
    _names, forms = read_forms(app, client, ids)
    assert forms or role == "anonymous"
    failures = []
    for action, values in forms.values():
        for name in values:
            for hostile in FIELD_VALUES:
                sign_in(client, users[role])
                request(client, failures, "POST", action, data={**values, name: hostile})
    assert failures == []
