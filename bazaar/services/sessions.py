"""Loading the signed-in user from the session cookie."""

from bazaar.extensions import db
from bazaar.models import User


def load_user(session_id):
    """Return the user for "<id>:<session version>", or None when that session has ended."""
    user_id, _, version = session_id.partition(":")
    if not user_id.isdigit() or not version.isdigit():
        return None
    user = db.session.get(User, int(user_id))
    if user is None or user.session_version != int(version) or not user.is_active:
        return None
    return user
