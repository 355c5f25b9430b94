from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from chalice.test import Client

from app import app
from chalicelib import tokens
from chalicelib.domain.actor import Actor, Role
from tests.conftest import LOCAL_ENV, ROOT
from tests.fake_http import FakeWeChat, serving
from tests.integration.conftest import Api, booking


@pytest.fixture
def wechat(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    with serving(FakeWeChat) as base:
        monkeypatch.setenv("WECHAT_APP_ID", "wx-app")
        monkeypatch.setenv("WECHAT_APP_SECRET", "app-secret")
        monkeypatch.setenv("WECHAT_API_BASE", base)
        yield base


def test_a_wechat_login_code_becomes_a_customer_token_for_the_same_user_each_time(wechat: str, api: Api) -> None:
    first = api.post("/auth/wechat", {"code": "good-code"})
    assert first.status == 200, first.body
    claims = jwt.decode(first.body["token"], LOCAL_ENV["JWT_SECRET"], algorithms=["HS256"])
    assert claims["role"] == "customer"
    assert FakeWeChat.seen[-1]["appid"] == ["wx-app"] and FakeWeChat.seen[-1]["grant_type"] == ["authorization_code"]
    again = api.post("/auth/wechat", {"code": "good-code"})
    assert again.body["user"]["id"] == first.body["user"]["id"]
    assert api.post("/appointments/book", booking(), first.body["token"]).status == 201


def test_a_rejected_code_is_401_and_a_busy_wechat_is_503(wechat: str, api: Api) -> None:
    for code in ("used-code", "forged"):
        answer = api.post("/auth/wechat", {"code": code})
        assert answer.status == 401 and answer.body["error"]["code"] == "LOGIN_FAILED", code
    assert api.post("/auth/wechat", {"code": "busy"}).status == 503
    assert api.post("/auth/wechat", {}).status == 400


def test_wechat_unreachable_is_503_not_500(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WECHAT_APP_ID", "wx-app")
    monkeypatch.setenv("WECHAT_APP_SECRET", "app-secret")
    monkeypatch.setenv("WECHAT_API_BASE", "http://127.0.0.1:9")  # nothing listens on the discard port
    with Client(app, stage_name="local", project_dir=str(ROOT)) as client:
        assert Api(client).post("/auth/wechat", {"code": "good-code"}).status == 503


def test_dev_login_returns_the_same_user_for_the_same_role_and_name(api: Api) -> None:
    first = api.post("/auth/dev-login", {"role": "staff", "name": "Mei"})
    again = api.post("/auth/dev-login", {"role": "staff", "name": "Mei"})
    other = api.post("/auth/dev-login", {"role": "customer", "name": "Mei"})
    assert first.status == 200 and first.body["user"]["role"] == "staff"
    assert first.body["user"]["id"] == again.body["user"]["id"] != other.body["user"]["id"]
    assert api.post("/auth/dev-login", {"role": "root"}).status == 400


@pytest.mark.parametrize("stage", ["dev", "prod"])
def test_dev_login_does_not_exist_outside_the_local_stage(
    stage: str, store: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JWT_SECRET", "a-deployed-secret-that-is-long-enough-000")
    with Client(app, stage_name=stage, project_dir=str(ROOT)) as client:
        answer = Api(client).post("/auth/dev-login", {"role": "admin", "name": "Mallory"})
    assert answer.status == 404
    assert "token" not in answer.body


def test_tokens_that_are_missing_malformed_forged_or_expired_are_401(api: Api) -> None:
    actor = Actor("customer-x", Role.CUSTOMER, "X")
    forged = tokens.issue(actor, "another-secret-that-is-also-long-enough", 1)
    expired = tokens.issue(actor, LOCAL_ENV["JWT_SECRET"], 1, now=datetime.now(UTC) - timedelta(hours=2))
    unsigned = jwt.encode({"sub": "x", "role": "admin"}, key="", algorithm="none")
    for header in (
        "Bearer",
        "Basic abc",
        f"Bearer {forged}",
        f"Bearer {expired}",
        f"Bearer {unsigned}",
        "Bearer x.y.z",
    ):
        answer = api.call("GET", "/appointments/mine", headers={"Authorization": header})
        assert answer.status == 401, header
        assert answer.body["error"]["code"] == "UNAUTHENTICATED"


def test_public_routes_still_refuse_a_bad_token(api: Api) -> None:
    answer = api.call("GET", "/appointments/services", headers={"Authorization": "Bearer nonsense"})
    assert answer.status == 401
