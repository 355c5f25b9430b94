"""Signing in: WeChat's login code in production, a named test user on the local stage."""

from __future__ import annotations

from chalicelib import tokens
from chalicelib.config import Settings
from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.errors import NotFound, UpstreamUnavailable
from chalicelib.integrations.wechat import WeChatApi, WeChatLogin
from chalicelib.store import Store


def wechat_api(settings: Settings) -> WeChatLogin:
    if not (settings.wechat_app_id and settings.wechat_app_secret):
        raise UpstreamUnavailable("WeChat login is not configured for this stage.")
    return WeChatApi(settings.wechat_app_id, settings.wechat_app_secret, settings.wechat_api_base)


def wechat_login(settings: Settings, wechat: WeChatLogin, code: str, store: Store) -> tuple[str, Actor]:
    identity = wechat.code2session(code)
    actor = Actor(tokens.stable_id("wx", settings.wechat_app_id, identity.openid), Role.CUSTOMER)
    store.customers.remember_openid(actor.id, identity.openid)  # for subscribe messages (push)
    return tokens.issue(actor, settings.jwt_secret, settings.token_ttl_hours), actor


def dev_login(settings: Settings, role: Role, name: str) -> tuple[str, Actor]:
    """Local stage only: anywhere else this route does not exist."""
    if not settings.is_local:
        raise NotFound("Not found.")
    actor = Actor(tokens.stable_id(role.value, role.value, name), role, name)
    return tokens.issue(actor, settings.jwt_secret, settings.token_ttl_hours), actor
