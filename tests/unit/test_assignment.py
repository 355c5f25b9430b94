"""Who takes a booking for any staff: the policies, the calibration for time off, the reasons."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from chalicelib.domain.assignment import Load, Policy, assign, loads, policy_of, week_of
from chalicelib.domain.catalogue import StaffMember
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.hours import WorkingHours
from chalicelib.domain.occupancy import CalendarDay, Hold

ZONE = ZoneInfo("Asia/Shanghai")
MONDAY = date(2027, 1, 11)
WEEK = week_of(MONDAY + timedelta(days=3))
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
EVERY_DAY = WorkingHours.from_dict({"weekly": {d: [{"start": "09:00", "end": "18:00"}] for d in DAYS}})
FROM_THURSDAY = WorkingHours.from_dict({"weekly": {d: [{"start": "09:00", "end": "18:00"}] for d in DAYS[3:]}})
LI, WANG, CHEN = StaffMember("li", "Li Na"), StaffMember("wang", "Wang Lei"), StaffMember("chen", "Chen Jing")


def booked(staff_id: str, day: date, minutes: int, owner: str = "APPT#a") -> CalendarDay:
    start = datetime(day.year, day.month, day.day, 10, tzinfo=ZONE).astimezone(UTC)
    hold = Hold(start, start + timedelta(minutes=minutes), owner)
    return CalendarDay(f"staff:{staff_id}", start.date(), (hold,), 1)


def test_the_week_is_monday_to_sunday_of_the_day() -> None:
    assert [MONDAY + timedelta(days=i) for i in range(7)] == WEEK


def test_fewest_minutes_first_ties_by_name_and_the_reason_lists_everyone() -> None:
    chosen = assign(Policy.FEWEST_MINUTES, [Load(WANG, 90), Load(LI, 45), Load(CHEN, 45)])
    assert [m.name for m in chosen.order] == ["Chen Jing", "Li Na", "Wang Lei"]
    assert chosen.reason == "fewest minutes this week: Chen Jing 45, Li Na 45, Wang Lei 90"
    assert chosen.reason_for(LI).endswith("Li Na: the ones before were taken meanwhile")


def test_a_day_off_counts_as_the_others_average_that_day() -> None:
    """Wang works from Thursday: Monday to Wednesday count as what Li and Chen booked on average each day, so he
    is not handed every booking of Thursday until he has caught up."""
    days = {
        "li": [booked("li", MONDAY, 120), booked("li", MONDAY + timedelta(days=1), 60)],
        "chen": [booked("chen", MONDAY, 60)],
        "wang": [],
    }
    weeks = loads([(LI, EVERY_DAY), (CHEN, EVERY_DAY), (WANG, FROM_THURSDAY)], days, WEEK, ZONE)
    by_name = {load.member.name: load for load in weeks}
    assert (by_name["Wang Lei"].minutes, by_name["Wang Lei"].calibration) == (0, 90 + 30 + 0)
    assert (by_name["Li Na"].counted, by_name["Chen Jing"].counted) == (180, 60)
    assert str(by_name["Wang Lei"]) == "Wang Lei 0 (+120 for time off)"
    assert [m.name for m in assign(Policy.FEWEST_MINUTES, weeks).order] == ["Chen Jing", "Wang Lei", "Li Na"]


def test_a_days_block_over_all_its_hours_is_a_day_off_and_blocked_time_is_not_booked_time() -> None:
    full_day = booked("li", MONDAY, 9 * 60, owner="BLOCK#b")
    weeks = loads(
        [(LI, EVERY_DAY), (CHEN, EVERY_DAY)], {"li": [full_day], "chen": [booked("chen", MONDAY, 60)]}, WEEK, ZONE
    )
    li = next(load for load in weeks if load.member.id == "li")
    assert (li.minutes, li.calibration) == (0, 60)


def test_weights_set_each_ones_share_of_the_weeks_minutes() -> None:
    heavy, light = StaffMember("li", "Li Na", weight=300), StaffMember("wang", "Wang Lei", weight=100)
    chosen = assign(Policy.WEIGHTED, [Load(heavy, 120), Load(light, 60)])
    assert [m.name for m in chosen.order] == ["Li Na", "Wang Lei"]  # 120 of a 135 share; 60 of 45
    assert chosen.reason == "furthest below their share of this week's minutes: Li Na 120 of 135, Wang Lei 60 of 45"


def test_priority_first_then_fewest_minutes_among_equals() -> None:
    senior = StaffMember("li", "Li Na", priority=5)
    chosen = assign(Policy.PRIORITY, [Load(WANG, 0), Load(senior, 300), Load(CHEN, 10)])
    assert [m.name for m in chosen.order] == ["Li Na", "Wang Lei", "Chen Jing"]
    assert chosen.reason == "highest priority (5), then fewest minutes this week: Li Na 300"


def test_the_customers_last_staff_member_first_when_free_else_fewest_minutes() -> None:
    chosen = assign(Policy.RETURNING, [Load(WANG, 0), Load(LI, 300)], last_staff_id="li")
    assert [m.name for m in chosen.order] == ["Li Na", "Wang Lei"]
    assert chosen.reason == "the customer's last staff member: Li Na"
    elsewhere = assign(Policy.RETURNING, [Load(WANG, 0), Load(LI, 300)], last_staff_id="chen")
    assert elsewhere.order[0] == WANG and elsewhere.reason.startswith("fewest minutes")


def test_an_unknown_policy_is_refused_by_name() -> None:
    with pytest.raises(InvalidInput) as refused:
        policy_of("round-robin")
    assert refused.value.fields == {"assignment": "unknown"}
