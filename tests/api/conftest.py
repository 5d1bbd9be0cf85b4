"""Fixtures of the API tests: bearer tokens for accounts."""

import pytest

from bazaar.models.types import utcnow
from bazaar.services import tokens


@pytest.fixture
def bearer():
    """Issue a token for a user; return the Authorization header that carries it."""

    def issue(user):
        secret, _token = tokens.issue_token(user, now=utcnow())
        return {"Authorization": f"Bearer {secret}"}

    return issue


def assert_problem(response, status, slug=None):
    """Check that a response is a problem document with this status (and type)."""
    assert response.status_code == status, response.data
    assert response.mimetype == "application/problem+json"
    body = response.get_json(force=True)
    assert body["status"] == status
    if slug:
        assert body["type"] == f"/api/v1/problems/{slug}"
    return body
