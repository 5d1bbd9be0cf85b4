"""The app-wide answer to domain errors that a view does not handle itself."""

import pytest
from flask import Blueprint

from bazaar import create_app
from bazaar.errors import Conflict, NotFound, Throttled, TooLarge
from bazaar.i18n import LANGUAGE_COOKIE
from tests.conftest import base_config


@pytest.fixture
def app_with_routes(tmp_path):
    """An app with routes that raise each kind of domain error."""
    bp = Blueprint("raising", __name__, url_prefix="/raising")
    raising = {
        "missing": NotFound("product.not_found"),
        "large": TooLarge("image.too_large"),
        "slow-down": Throttled("account.locked"),
        "full": Conflict("stall.type_full"),
    }

    @bp.route("/<kind>", methods=["GET", "POST"])
    def raise_(kind):
        raise raising[kind]

    app = create_app(base_config(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite'}"))
    app.register_blueprint(bp)
    return app


def english_client(app):
    client = app.test_client()
    client.set_cookie(LANGUAGE_COOKIE, "en")
    return client


@pytest.mark.parametrize(
    ("kind", "code", "text"),
    [
        ("missing", 404, "No such product."),
        ("large", 413, "Files may be at most 5 MB."),
        ("slow-down", 429, "Too many failed attempts."),
    ],
)
def test_not_found_too_large_and_throttled_get_their_pages(app_with_routes, kind, code, text):
    response = english_client(app_with_routes).get(f"/raising/{kind}")
    assert response.status_code == code
    assert text in response.get_data(as_text=True)


def test_a_refused_post_is_flashed_and_goes_back_to_the_page_it_came_from(app_with_routes):
    client = english_client(app_with_routes)
    response = client.post("/raising/full", headers={"Referer": "http://localhost/catalogue/?q=x"})
    assert response.status_code == 302
    assert response.headers["Location"] == "/catalogue/?q=x"
    with client.session_transaction() as session:
        assert session["_flashes"] == [("danger", "Every stall of that type is taken.")]


def test_a_refused_post_never_goes_back_to_another_site(app_with_routes):
    client = english_client(app_with_routes)
    response = client.post("/raising/full", headers={"Referer": "http://evil.example/x"})
    assert response.headers["Location"] == "/raising/full"


def test_a_refused_get_shows_the_message_on_the_400_page(app_with_routes):
    response = english_client(app_with_routes).get("/raising/full")
    assert response.status_code == 400
    assert "Every stall of that type is taken." in response.get_data(as_text=True)
