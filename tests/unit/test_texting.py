from __future__ import annotations

from datetime import UTC, datetime

import pytest

from chalicelib.domain.catalogue import BusinessSettings
from chalicelib.domain.errors import InvalidInput, TooManyTexts
from chalicelib.domain.notices import canonical_offset, reminder_offsets
from chalicelib.domain.texting import TextQuota, textable


@pytest.mark.parametrize(
    ("written", "canonical"),
    [("24h", "24h"), ("1d", "24h"), ("024h", "24h"), ("120m", "2h"), ("90m", "90m"), ("010m", "10m"), ("7d", "168h")],
)
def test_each_reminder_time_has_one_spelling(written: str, canonical: str) -> None:
    assert canonical_offset(written) == canonical


def test_equal_reminder_times_are_kept_once() -> None:
    assert reminder_offsets(["1d", "24h", "60m"]) == ("24h", "1h")
    with pytest.raises(InvalidInput):
        reminder_offsets(["4m"])


def test_only_mobiles_of_the_allowed_countries_are_texted() -> None:
    china = BusinessSettings()
    assert textable("+8613800138000", china)
    assert not textable("+861062345678", china)  # a landline
    assert not textable("+12025550123", china)  # not the business's country
    assert textable("+12025550123", BusinessSettings(sms_countries=("CN", "US")))
    assert not textable("not a number", china)


def test_past_the_days_cap_the_answer_says_seconds_to_the_businesss_midnight() -> None:
    settings = BusinessSettings(texts_per_number_per_day=2)
    now = datetime(2027, 3, 1, 15, 0, tzinfo=UTC)  # 23:00 in Shanghai
    quota = TextQuota.of(settings, now)
    quota.ensure_room(1, 1, settings, now)
    with pytest.raises(TooManyTexts) as refused:
        quota.ensure_room(2, 1, settings, now)
    assert refused.value.retry_after == 3600
