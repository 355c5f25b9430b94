"""Push through WeChat subscribe messages, against a local fake of WeChat's HTTP API."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

import pytest

import app
from chalicelib.store import Store
from tests.fake_http import JsonHandler, serving
from tests.integration.conftest import Api, booking
from tests.integration.notices_helpers import event, receive_all


class FakeWeChatApi(JsonHandler):
    tokens_issued: ClassVar[list[str]] = []
    pushed: ClassVar[list[dict[str, Any]]] = []
    expire_next: ClassVar[bool] = False

    def do_GET(self) -> None:
        url = urlparse(self.path)
        assert url.path == "/cgi-bin/token" and parse_qs(url.query)["secret"] == ["app-secret"]
        token = f"token-{len(self.tokens_issued) + 1}"
        self.tokens_issued.append(token)
        self.answer({"access_token": token, "expires_in": 7200})

    def do_POST(self) -> None:
        url = urlparse(self.path)
        token = parse_qs(url.query)["access_token"][0]
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if FakeWeChatApi.expire_next:
            FakeWeChatApi.expire_next = False
            self.answer({"errcode": 42001, "errmsg": "access_token expired"})
            return
        self.pushed.append({"token": token, **body})
        self.answer({"errcode": 0, "errmsg": "ok"})


@pytest.fixture
def wechat(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    FakeWeChatApi.tokens_issued.clear()
    FakeWeChatApi.pushed.clear()
    with serving(FakeWeChatApi) as base:
        for name, value in {
            "WECHAT_APP_ID": "wx-app",
            "WECHAT_APP_SECRET": "app-secret",
            "WECHAT_API_BASE": base,
            "WECHAT_TEMPLATE_ID": "tmpl-booking",
        }.items():
            monkeypatch.setenv(name, value)
        yield base


def test_push_reaches_the_customers_openid_with_a_cached_token_refreshed_when_expired(
    wechat: str, api: Api, alice: str, store: Store
) -> None:
    customer_id = api.post("/appointments/book", booking(), alice).body["appointment"]["customerId"]
    store.customers.remember_openid(customer_id, "o-alice")
    api.post("/appointments/book", booking(time="13:00"), alice)
    app.deliver_notices(event(receive_all()), None)
    assert [p["touser"] for p in FakeWeChatApi.pushed] == ["o-alice", "o-alice"]
    assert FakeWeChatApi.pushed[0]["template_id"] == "tmpl-booking"
    assert FakeWeChatApi.pushed[0]["data"]["thing1"]["value"] == "预约成功"
    assert FakeWeChatApi.tokens_issued == ["token-1"]  # one token for both messages
    FakeWeChatApi.expire_next = True
    api.post("/appointments/book", booking(time="15:00"), alice)
    app.deliver_notices(event(receive_all()), None)
    assert FakeWeChatApi.tokens_issued == ["token-1", "token-2"] and FakeWeChatApi.pushed[-1]["token"] == "token-2"
