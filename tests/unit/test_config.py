from __future__ import annotations

import pytest

from chalicelib.config import ConfigurationError, Settings, load_settings

BASE = {"STAGE": "dev", "TABLE_NAME": "slotbook-dev", "JWT_SECRET": "x" * 32}


def test_each_setting_comes_from_its_variable_and_an_empty_one_keeps_the_default() -> None:
    loaded = load_settings({**BASE, "TOKEN_TTL_HOURS": "12", "NOTICES_QUEUE": "q-n", "SENDER_EMAIL": ""})
    assert (loaded.stage, loaded.table_name, loaded.token_ttl_hours) == ("dev", "slotbook-dev", 12)
    assert (loaded.notices_queue, loaded.sender_email) == ("q-n", Settings.sender_email)
    assert loaded.region == "us-east-1" and load_settings({**BASE, "AWS_REGION": "eu-west-1"}).region == "eu-west-1"


def test_what_is_missing_or_too_short_fails_at_once_and_says_so() -> None:
    with pytest.raises(ConfigurationError, match="TABLE_NAME"):
        load_settings({"STAGE": "dev", "JWT_SECRET": "x" * 32})
    with pytest.raises(ConfigurationError, match="at least 32"):
        load_settings({**BASE, "JWT_SECRET": "short"})
