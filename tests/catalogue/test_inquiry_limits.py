"""Inquiries to vendors are limited per client address and per vendor."""

import pytest

from bazaar.extensions import db
from bazaar.models import Message

QUESTION = {"sender": "علی", "contact": "09120001111", "text": "ارسال به قم دارید؟"}


def ask(client, address, vendor_id):
    return client.post(
        f"/catalogue/vendors/{vendor_id}/inquiry",
        data=QUESTION,
        environ_base={"REMOTE_ADDR": address},
    )


def questions_to(user_id):
    return len(db.session.scalars(db.select(Message).where(Message.user_id == user_id)).all())


@pytest.mark.parametrize(
    "app",
    [{"RATELIMIT_ENABLED": True, "INQUIRY_LIMIT_PER_TARGET": "3 per minute"}],
    indirect=True,
)
def test_inquiries_are_limited_per_vendor(client, make_product):
    flooded, other = make_product(), make_product()
    before = questions_to(flooded.vendor.user_id)
    for n in range(3):
        assert ask(client, f"198.51.100.{n}", flooded.vendor_id).status_code == 302
    assert ask(client, "198.51.100.9", flooded.vendor_id).status_code == 429
    assert questions_to(flooded.vendor.user_id) - before == 3
    assert ask(client, "198.51.100.9", other.vendor_id).status_code == 302


@pytest.mark.parametrize(
    "app",
    [{"RATELIMIT_ENABLED": True, "INQUIRY_LIMIT_PER_IP": "2 per minute"}],
    indirect=True,
)
def test_inquiries_are_limited_per_client_address(client, make_product):
    first, second, third = make_product(), make_product(), make_product()
    assert ask(client, "198.51.100.1", first.vendor_id).status_code == 302
    assert ask(client, "198.51.100.1", second.vendor_id).status_code == 302
    assert ask(client, "198.51.100.1", third.vendor_id).status_code == 429
    assert ask(client, "198.51.100.2", third.vendor_id).status_code == 302
