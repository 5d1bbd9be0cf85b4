"""Schemathesis against /api/v1/openapi.json: no 5xx, no answer the document does not allow.

Bounded for `make test`: a few examples per operation, with a vendor's or an organiser's token
so that the writes are fuzzed past the token check too.
"""

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.specs.openapi import checks as openapi_checks

from bazaar.extensions import db
from bazaar.models import Role

EXAMPLES = 12
CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
]


@pytest.fixture
def api_schema(app, make_product, make_bazaar, make_restriction):
    """The API's own OpenAPI document, served by the test app, with some data behind it."""
    make_product()
    make_bazaar()
    make_restriction(county="kahak")
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@pytest.fixture
def tokens_by_role(make_vendor, organiser):
    """Return a function that issues a fresh vendor or organiser token for a path."""
    from bazaar.models.types import utcnow
    from bazaar.services import tokens

    vendor = make_vendor().user

    def headers(path):
        user = organiser if path.startswith("/api/v1/restrictions") else vendor
        assert user.has_role(Role.VENDOR, Role.ORGANISER)
        secret, _token = tokens.issue_token(user, now=utcnow())
        return {"Authorization": f"Bearer {secret}"}

    return headers


def test_api_answers_as_its_document_says(app, api_schema, tokens_by_role):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 17
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def answers(case):
            headers = tokens_by_role(case.path)
            db.session.rollback()
            # Each request in its own app context, as in production (and tests/conftest.Client).
            with app.app_context():
                case.call_and_validate(headers=headers, checks=CHECKS)
            db.session.rollback()

        answers()
