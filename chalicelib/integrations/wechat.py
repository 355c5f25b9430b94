"""WeChat's code2session: a mini program's `wx.login` code exchanged for the user's openid."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import urlopen

from chalicelib.domain.errors import LoginFailed, UpstreamUnavailable

# https://developers.weixin.qq.com/miniprogram/dev/OpenApiDoc/user-login/code2Session.html
REJECTED_CODES = {40029: "invalid code", 40163: "code already used", 40226: "user blocked as high risk"}
BUSY_CODES = {-1: "system busy", 45011: "rate limited"}


@dataclass(frozen=True)
class WeChatIdentity:
    openid: str
    unionid: str | None = None


class WeChatLogin(Protocol):
    def code2session(self, code: str) -> WeChatIdentity: ...


class WeChatApi:
    def __init__(self, app_id: str, app_secret: str, base_url: str, timeout: float = 5.0) -> None:
        self._app_id, self._app_secret = app_id, app_secret
        self._base_url, self._timeout = base_url.rstrip("/"), timeout

    def code2session(self, code: str) -> WeChatIdentity:
        query = urlencode(
            {"appid": self._app_id, "secret": self._app_secret, "js_code": code, "grant_type": "authorization_code"}
        )
        try:
            with urlopen(f"{self._base_url}/sns/jscode2session?{query}", timeout=self._timeout) as response:
                payload = json.loads(response.read())
        except (URLError, TimeoutError, ValueError, OSError):
            raise UpstreamUnavailable("WeChat login is unavailable right now; please try again.") from None
        errcode = int(payload.get("errcode") or 0)
        if errcode in BUSY_CODES:
            raise UpstreamUnavailable("WeChat login is busy right now; please try again.")
        if errcode or not payload.get("openid"):
            reason = REJECTED_CODES.get(errcode, f"error {errcode}")
            raise LoginFailed(f"WeChat did not accept the login code ({reason}).")
        return WeChatIdentity(str(payload["openid"]), payload.get("unionid"))
