"""The seed's ScheduleManager, unchanged, in Node against the local stack with a staff token."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import working_day
from tests.e2e.conftest import Stack, run_seed

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def seen(local_stack: Stack) -> dict[str, Any]:
    day = working_day(6).isoformat()
    return {
        "day": day,
        **run_seed("run_seed_schedule.mjs", local_stack.url, local_stack.staff_token, "staff-chen", day),
    }


def test_the_schedule_shows_the_days_hours(seen: dict[str, Any]) -> None:
    day = seen["scheduleBefore"][0]
    assert day["date"] == seen["day"]
    assert day["workingHours"] == [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]


def test_a_block_is_made_seen_as_a_conflict_and_in_the_overview_then_freed(seen: dict[str, Any]) -> None:
    assert seen["block"]["success"] is True and seen["block"]["block"]["blockedBy"]
    assert (seen["block"]["block"]["start"], seen["block"]["block"]["end"]) == ("15:00", "15:30")
    assert [(c["type"], c["id"]) for c in seen["conflicts"]] == [("block", seen["block"]["id"])]
    chen = next(s for s in seen["overview"]["staff"] if s["id"] == "staff-chen")
    assert [b["id"] for b in chen["blocks"]] == [seen["block"]["id"]]
    assert seen["overview"]["date"] == seen["day"]
    assert [b["id"] for b in seen["scheduleWithBlock"][0]["blocks"]] == [seen["block"]["id"]]
    assert seen["unblock"] == {"success": True}
    assert seen["conflictsAfter"] == []


def test_availability_is_updated_and_the_pure_helper_still_works(seen: dict[str, Any]) -> None:
    assert seen["availability"]["success"] is True
    assert seen["availability"]["availability"]["breaks"]["mon"] == [{"start": "12:00", "end": "13:00"}]
    assert seen["availability"]["outsideHours"] == []
    assert [s["start"] for s in seen["generated"]] == ["09:00", "09:30", "10:30"]
    assert all(e.get("statusCode", 200) < 400 for e in seen["log"] if e["call"] == "request")
