"""POST /api/v1/tokens (HTTP Basic: email or mobile, password) and DELETE /api/v1/tokens."""

from flask import request
from flask_smorest import Blueprint, abort
from marshmallow import Schema, fields

from bazaar.api.auth import BASIC, current_token, limit, token_required
from bazaar.api.fields import JalaliMoment, LocalDateTime
from bazaar.api.problems import HTTP_TITLES, problem
from bazaar.errors import Refused
from bazaar.models.types import utcnow
from bazaar.services import accounts, tokens
from bazaar.text import strip_controls

blp = limit(
    Blueprint("api_tokens", __name__, url_prefix="/api/v1/tokens", description="Access tokens")
)
BASIC_CHALLENGE = {"WWW-Authenticate": 'Basic realm="bazaar-api", charset="UTF-8"'}


class TokenSchema(Schema):
    token = fields.String(required=True, metadata={"description": "Send as `Bearer <token>`"})
    token_type = fields.String(required=True, metadata={"enum": ["Bearer"]})
    expires_at = LocalDateTime(required=True)
    expires_at_jalali = JalaliMoment("expires_at")
    user_id = fields.Integer(required=True)
    role = fields.String(required=True)


@blp.post("")
@blp.doc(security=BASIC)
@blp.response(201, TokenSchema)
def create():
    """Sign in with HTTP Basic (email or mobile, password) and get a bearer token.

    Failed attempts are counted and slowed down exactly as on the sign-in page.
    """
    credentials = request.authorization
    if credentials is None or credentials.type != "basic":
        abort(401, headers=BASIC_CHALLENGE)
    identifier = strip_controls(credentials.username or "")[:254]
    password = (credentials.password or "")[:1024]
    try:
        user = accounts.authenticate(identifier, password, now=utcnow(), client=request.remote_addr)
    except Refused as error:
        return problem(401, error.code, HTTP_TITLES[401][1], error.message, headers=BASIC_CHALLENGE)
    secret, token = tokens.issue_token(user, now=utcnow())
    return {
        "token": secret,
        "token_type": "Bearer",
        "expires_at": token.expires_at,
        "user_id": user.id,
        "role": user.role,
    }


@blp.delete("")
@token_required(blp)
@blp.response(204)
def delete():
    """Revoke the token this request carries."""
    tokens.revoke_token(current_token().id, now=utcnow())
