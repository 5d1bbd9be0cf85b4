import pytest

from tests.api.conftest import assert_problem


def test_errors_are_problems_in_the_accept_language_language(client):
    persian = assert_problem(client.get("/api/v1/nowhere"), 404, "not-found")
    english = assert_problem(
        client.get("/api/v1/nowhere", headers={"Accept-Language": "en-GB,en;q=0.9"}), 404
    )
    assert english["title"] == "Nothing was found at this address."
    assert persian["title"] != english["title"]
    assert_problem(client.put("/api/v1/products"), 405, "method-not-allowed")


def test_the_site_keeps_its_html_error_pages(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert response.mimetype == "text/html"


def test_public_gets_allow_any_origin_and_writes_do_not(client):
    origin = {"Origin": "https://portal.example"}
    assert (
        client.get("/api/v1/products", headers=origin).headers["Access-Control-Allow-Origin"] == "*"
    )
    assert (
        "Access-Control-Allow-Origin" not in client.post("/api/v1/products", headers=origin).headers
    )
    preflight = client.options(
        "/api/v1/products", headers={**origin, "Access-Control-Request-Method": "POST"}
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers
    preflight = client.options(
        "/api/v1/products", headers={**origin, "Access-Control-Request-Method": "GET"}
    )
    assert preflight.headers["Access-Control-Allow-Origin"] == "*"
    with_token = client.options(
        "/api/v1/applications",
        headers={
            **origin,
            "Access-Control-Request-Method": "GET",
            "Access-Control-Request-Headers": "authorization",
        },
    )
    assert "Access-Control-Allow-Origin" not in with_token.headers


@pytest.mark.parametrize(
    "app", [{"RATELIMIT_ENABLED": True, "API_LIMIT_PER_IP": "3 per minute"}], indirect=True
)
def test_too_many_requests_per_address_is_a_429_with_retry_after(client):
    for _ in range(3):
        assert client.get("/api/v1/bazaars").status_code == 200
    response = client.get("/api/v1/bazaars")
    assert_problem(response, 429, "rate-limited")
    assert int(response.headers["Retry-After"]) > 0


@pytest.mark.parametrize(
    "app", [{"RATELIMIT_ENABLED": True, "API_LIMIT_PER_TOKEN": "2 per minute"}], indirect=True
)
def test_too_many_requests_per_token_is_a_429(client, make_user, bearer):
    from bazaar.models import Role

    headers = bearer(make_user(role=Role.VENDOR))
    for _ in range(2):
        assert client.get("/api/v1/applications", headers=headers).status_code == 200
    assert_problem(client.get("/api/v1/applications", headers=headers), 429)
    assert client.get("/api/v1/bazaars").status_code == 200  # without the token: not counted


def test_the_openapi_document_is_3_1_and_describes_problems(client):
    document = client.get("/api/v1/openapi.json").get_json()
    assert document["openapi"] == "3.1.0"
    assert "/api/v1/bazaars/{bazaar_id}/applications" in document["paths"]
    default = document["components"]["responses"]["DEFAULT_ERROR"]
    assert "application/problem+json" in default["content"]
    assert document["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_the_documentation_page_uses_the_vendored_redoc(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "/static/vendor/redoc/redoc.standalone.js" in page
    assert "https://" not in page
    assert "script-src" not in response.headers["Content-Security-Policy"]
    script = client.get("/static/vendor/redoc/redoc.standalone.js")
    assert script.status_code == 200
    script.close()
