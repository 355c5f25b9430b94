from __future__ import annotations

import pytest
from chalice.test import Client

from app import app
from tests.conftest import ROOT
from tests.integration.conftest import Api


def test_storage_out_of_reach_is_a_clean_503_not_a_500(store: object, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:9")  # nothing listens on the discard port
    monkeypatch.setenv("JWT_SECRET", "a-deployed-secret-that-is-long-enough-000")
    with Client(app, stage_name="dev", project_dir=str(ROOT)) as client:  # its own table: a new client
        answer = Api(client).get("/appointments/services")
    assert answer.status == 503
    assert answer.body["error"]["code"] == "UPSTREAM_UNAVAILABLE"
