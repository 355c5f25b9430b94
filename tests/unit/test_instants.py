"""What a client's date-time means: an offset names an instant; a wall time follows one stated rule."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.availability import existing_instant, instant_of
from chalicelib.domain.errors import InvalidInput

NEW_YORK = ZoneInfo("America/New_York")


def test_an_offset_in_the_repeated_autumn_hour_is_the_instant_it_names() -> None:
    second = instant_of(datetime.fromisoformat("2027-11-07T01:00:00-05:00"), NEW_YORK)
    first = instant_of(datetime.fromisoformat("2027-11-07T01:00:00-04:00"), NEW_YORK)
    assert (first, second) == (datetime(2027, 11, 7, 5, tzinfo=UTC), datetime(2027, 11, 7, 6, tzinfo=UTC))


def test_z_is_utc_whatever_the_business_clock_says() -> None:
    assert instant_of(datetime.fromisoformat("2027-11-07T06:30:00Z"), NEW_YORK) == datetime(
        2027, 11, 7, 6, 30, tzinfo=UTC
    )


def test_a_wall_time_in_the_repeated_hour_is_its_first_occurrence() -> None:
    assert instant_of(datetime(2027, 11, 7, 1, 30), NEW_YORK) == datetime(2027, 11, 7, 5, 30, tzinfo=UTC)


def test_a_wall_time_the_spring_gap_skips_is_refused() -> None:
    with pytest.raises(InvalidInput, match="does not exist"):
        instant_of(datetime(2027, 3, 14, 2, 30), NEW_YORK)
    with pytest.raises(InvalidInput):
        existing_instant(date(2027, 3, 14), 2 * 60, NEW_YORK, "timeSlot")
    assert existing_instant(date(2027, 3, 14), 3 * 60, NEW_YORK) == datetime(2027, 3, 14, 7, tzinfo=UTC)
