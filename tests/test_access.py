"""Safe redirect targets."""

import pytest

from bazaar.access import is_safe_redirect
from tests.accounts.test_views import EVIL_TARGETS


@pytest.mark.parametrize("target", [*EVIL_TARGETS, "", None, "/ok\x00", "/ok\x7f", "evil.com"])
def test_unsafe_targets_are_refused(target):
    assert not is_safe_redirect(target)


@pytest.mark.parametrize(
    "target", ["/", "/accounts/login", "/notifications/?page=2", "/search?q=%D8%A7"]
)
def test_local_paths_are_allowed(target):
    assert is_safe_redirect(target)
