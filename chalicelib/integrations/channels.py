"""Where messages go: email through SES, SMS through SNS, push through WeChat subscribe messages."""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.error import URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from chalicelib.domain.messages import Message


@dataclass(frozen=True)
class Recipient:
    phone: str
    email: str
    openid: str | None

    def address(self, channel: str) -> str:
        """Where a channel reaches this recipient ("" if it cannot)."""
        return {"sms": self.phone, "email": self.email, "push": self.openid or ""}.get(channel, "")


class Channel(Protocol):
    def send(self, to: Recipient, message: Message) -> bool:
        """True if sent, False if this recipient cannot be reached on this channel."""
        ...


class ChannelUnavailable(Exception):
    """A delivery that failed for now and should be retried (the SQS message comes back)."""


class SesEmail:
    def __init__(self, client: Any, sender: str) -> None:
        self._client, self._sender = client, sender

    def send(self, to: Recipient, message: Message) -> bool:
        if not to.email:
            return False
        self._client.send_email(
            Source=self._sender,
            Destination={"ToAddresses": [to.email]},
            Message={
                "Subject": {"Data": message.subject, "Charset": "UTF-8"},
                "Body": {"Text": {"Data": message.text, "Charset": "UTF-8"}},
            },
        )
        return True


class SnsSms:
    def __init__(self, client: Any) -> None:
        self._client = client

    def send(self, to: Recipient, message: Message) -> bool:
        if not to.phone:
            return False
        self._client.publish(PhoneNumber=to.phone, Message=message.text)
        return True


class WeChatPush:
    """Subscribe messages through WeChat's HTTP API, with its access token cached until it expires."""

    def __init__(self, app_id: str, app_secret: str, template_id: str, base_url: str, timeout: float = 5.0) -> None:
        self._app_id, self._app_secret, self._template_id = app_id, app_secret, template_id
        self._base, self._timeout = base_url.rstrip("/"), timeout
        self._token: tuple[str, float] | None = None
        self._lock = threading.Lock()

    def _call(self, url: str, body: dict[str, Any] | None = None) -> dict[str, Any]:
        data = json.dumps(body, ensure_ascii=False).encode() if body is not None else None
        request = Request(url, data=data, headers={"Content-Type": "application/json"})
        try:
            with urlopen(request, timeout=self._timeout) as response:
                return dict(json.loads(response.read()))
        except (URLError, TimeoutError, ValueError, OSError) as error:
            raise ChannelUnavailable(f"WeChat unreachable: {type(error).__name__}") from None

    def access_token(self, refresh: bool = False) -> str:
        with self._lock:
            if refresh or self._token is None or self._token[1] <= time.monotonic():
                query = urlencode(
                    {"grant_type": "client_credential", "appid": self._app_id, "secret": self._app_secret}
                )
                answer = self._call(f"{self._base}/cgi-bin/token?{query}")
                if "access_token" not in answer:
                    raise ChannelUnavailable(f"WeChat token refused: {answer.get('errcode')}")
                lifetime = int(answer.get("expires_in", 7200))
                self._token = (str(answer["access_token"]), time.monotonic() + max(lifetime - 300, 60))
            return self._token[0]

    def send(self, to: Recipient, message: Message) -> bool:
        if not to.openid or not self._template_id:
            return False
        body = {
            "touser": to.openid,
            "template_id": self._template_id,
            "data": {
                "thing1": {"value": message.subject[:20]},
                "time2": {"value": message.when[:16]},
                "thing3": {"value": message.text[:20]},
            },
        }
        for refresh in (False, True):
            answer = self._call(
                f"{self._base}/cgi-bin/message/subscribe/send?access_token={self.access_token(refresh)}", body
            )
            code = int(answer.get("errcode") or 0)
            if code in (40001, 42001):  # the token expired early: fetch a new one once
                continue
            if code == 43101:  # the customer has not subscribed to this template
                return False
            if code:
                raise ChannelUnavailable(f"WeChat refused the message: {code}")
            return True
        raise ChannelUnavailable("WeChat keeps refusing its own access token")
