"""Time and settings: instants honoured, wall times by one rule, hours read and merged, settings guarded."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from chalicelib.store.repository import Store
from tests.integration.conftest import Api
from tests.integration.test_booking_routes import error_code

LI = "/appointments/staff/staff-li"
FALL_BACK = "2027-11-07"  # New York repeats 01:00-02:00 that night
SPRING_FORWARD = "2027-03-14"  # and skips 02:00-03:00 this one


def in_new_york(store: Store) -> None:
    store.save_settings(replace(store.catalogue().settings, timezone="America/New_York"))


def night_hours(api: Api, staff: str, *days: str) -> None:
    overrides = {day: [{"start": "00:00", "end": "08:00"}] for day in days}
    assert api.put(f"{LI}/availability", {"availability": {"overrides": overrides}}, staff).status == 200


def arrange(api: Api, staff: str, **when: Any) -> Any:
    body = {"staffId": "staff-li", "serviceId": "svc-cut", "customerInfo": {"name": "Walk In", "phone": "13800138000"}}
    return api.post("/appointments", {**body, **when}, staff)


def test_an_explicit_offset_in_the_repeated_hour_is_stored_as_that_instant(api: Api, staff: str, store: Store) -> None:
    in_new_york(store)
    night_hours(api, staff, FALL_BACK)
    second = arrange(api, staff, scheduledAt=f"{FALL_BACK}T01:00:00-05:00")
    assert second.status == 201, second.body
    assert second.body["appointment"]["scheduledAt"] == f"{FALL_BACK}T01:00:00-05:00"
    assert store.appointment(second.body["appointment"]["id"]).start.isoformat() == f"{FALL_BACK}T06:00:00+00:00"
    clash = arrange(api, staff, scheduledAt=f"{FALL_BACK}T06:30:00Z")  # 01:30 EST: inside the first one
    assert clash.status == 409 and error_code(clash.body) == "SLOT_TAKEN"
    first = arrange(api, staff, scheduledAt=f"{FALL_BACK}T01:00:00-04:00")  # an hour earlier, and free
    assert first.status == 201 and first.body["appointment"]["scheduledAt"] == f"{FALL_BACK}T01:00:00-04:00"


def test_a_wall_time_in_the_repeated_hour_means_its_first_occurrence(api: Api, staff: str, store: Store) -> None:
    in_new_york(store)
    night_hours(api, staff, FALL_BACK)
    made = arrange(api, staff, scheduledAt=f"{FALL_BACK}T01:30:00")
    assert made.status == 201 and made.body["appointment"]["scheduledAt"] == f"{FALL_BACK}T01:30:00-04:00"
    by_slot = arrange(api, staff, date=FALL_BACK, timeSlot="01:30")
    assert by_slot.status == 409  # the same first occurrence, already taken


def test_a_wall_time_the_spring_gap_skips_is_refused_on_every_route_that_takes_one(
    api: Api, staff: str, store: Store
) -> None:
    in_new_york(store)
    night_hours(api, staff, SPRING_FORWARD)
    for answer in (
        arrange(api, staff, scheduledAt=f"{SPRING_FORWARD}T02:30:00"),
        arrange(api, staff, date=SPRING_FORWARD, timeSlot="02:00"),
        api.post(
            "/appointments/schedule/block", {"staffId": "staff-li", "date": SPRING_FORWARD, "timeSlot": "02:30"}, staff
        ),
        api.get(f"/appointments/schedule/conflicts?staffId=staff-li&date={SPRING_FORWARD}&timeSlot=02:30", staff),
    ):
        assert answer.status == 400 and "does not exist" in answer.body["error"]["message"], answer.body
    assert store.timeline("staff-li", datetime(2027, 3, 13, tzinfo=UTC), datetime(2027, 3, 16, tzinfo=UTC)) == ([], [])
    across = arrange(api, staff, date=SPRING_FORWARD, timeSlot="01:30")  # 45 real minutes, ending 03:15 EDT
    assert across.status == 201 and across.body["appointment"]["endTime"] == "03:15"
