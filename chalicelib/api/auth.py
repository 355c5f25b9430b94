"""Sign-in routes."""

from __future__ import annotations

from typing import Any

from chalicelib.api import inputs
from chalicelib.api.docs import Doc
from chalicelib.api.http import PUBLIC, Call, Routes
from chalicelib.config import get_settings
from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.errors import NotFound
from chalicelib.services import identity
from chalicelib.store import get_store

routes = Routes(__name__)


def _signed_in(token: str, actor: Actor) -> dict[str, Any]:
    return {"success": True, "token": token, "user": {"id": actor.id, "role": actor.role.value, "name": actor.name}}


@routes.route(
    "/auth/wechat",
    methods=("POST",),
    allow=PUBLIC,
    doc=Doc("Sign in with wx.login's code", answer="SignedIn", body="WeChatLogin"),
)
def wechat_login(call: Call) -> dict[str, Any]:
    code = inputs.text(call.body, "code", max_length=128)
    settings = get_settings()
    return _signed_in(*identity.wechat_login(settings, identity.wechat_api(settings), code, get_store()))


@routes.route(
    "/auth/dev-login",
    methods=("POST",),
    allow=PUBLIC,
    doc=Doc("Local stage only: a token for a role", answer="SignedIn", body="DevLogin"),
)
def dev_login(call: Call) -> dict[str, Any]:
    settings = get_settings()
    if not settings.is_local:
        raise NotFound("Not found.")
    role = inputs.choice(inputs.text(call.body, "role", max_length=20), "role", tuple(r.value for r in Role), "")
    name = inputs.text(call.body, "name", required=False, max_length=100) or f"Demo {role}"
    return _signed_in(*identity.dev_login(settings, Role(role), name))
