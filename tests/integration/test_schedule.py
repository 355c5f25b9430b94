from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import time_machine

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.errors import SlotTaken
from chalicelib.services import booking as booking_service
from chalicelib.services import schedule
from chalicelib.services.booking import BookingRequest
from chalicelib.store import Store
from tests.conftest import now, working_day
from tests.dynamodb_calls import count_dynamodb_calls
from tests.integration.conftest import Api, booking, token_for
from tests.integration.test_booking_routes import error_code, slots

DAY = working_day().isoformat()
LI = "/appointments/staff/staff-li"


def book(api: Api, token: str, **changes: Any) -> str:
    answer = api.post("/appointments/book", booking(**changes), token)
    assert answer.status == 201, answer.body
    return str(answer.body["appointment"]["id"])


def block(api: Api, staff: str, time: Any, **extra: Any) -> Any:
    body = {"staffId": "staff-li", "date": DAY, "timeSlot": time, "reason": "Team meeting", "blockedBy": "u1", **extra}
    return api.post("/appointments/schedule/block", body, staff)


def test_a_block_takes_one_slot_interval_or_a_range_and_hides_those_slots(api: Api, staff: str) -> None:
    one = block(api, staff, "14:00")
    assert one.status == 201, one.body
    assert (one.body["block"]["start"], one.body["block"]["end"]) == ("14:00", "14:30")
    assert "14:00" not in slots(api) and "13:30" not in slots(api) and "14:30" in slots(api)
    ranged = block(api, staff, {"start": "15:00", "end": "16:30"})
    assert ranged.status == 201 and ranged.body["block"]["end"] == "16:30"
    assert not {"15:00", "15:30", "16:00"} & set(slots(api))


def test_a_block_over_a_booking_is_409_naming_it_and_changes_nothing(api: Api, alice: str, staff: str) -> None:
    appointment_id = book(api, alice)
    refused = block(api, staff, {"start": "09:30", "end": "11:00"})
    assert refused.status == 409 and error_code(refused.body) == "SLOT_TAKEN"
    assert appointment_id in refused.body["error"]["message"]
    assert "09:00" in slots(api)  # nothing of the refused block was kept


def test_unblock_frees_the_time_and_an_unknown_block_is_404(api: Api, staff: str) -> None:
    made = block(api, staff, "14:00").body["id"]
    assert api.call("DELETE", f"/appointments/schedule/unblock/{made}", token=staff).body == {"success": True}
    assert "14:00" in slots(api)
    assert api.call("DELETE", f"/appointments/schedule/unblock/{made}", token=staff).status == 404


def test_blocks_validate_their_input(api: Api, staff: str) -> None:
    assert block(api, staff, {"start": "15:00", "end": "14:00"}).status == 400
    assert block(api, staff, {"start": "08:00", "end": "17:00"}).status == 400  # longer than 8 hours
    assert block(api, staff, "9am").status == 400
    assert block(api, staff, "14:00", staffId="ghost").status == 404
    assert block(api, staff, "14:00", date="2026-13-01").status == 400


def race_block_against_booking(store: Store, day: date) -> list[bool]:
    barrier = threading.Barrier(2)

    def take_block() -> bool:
        barrier.wait()
        try:
            schedule.block_time(store, Actor("s", Role.STAFF), "staff-li", day, 600, 660, "race", now())
        except SlotTaken:
            return False
        return True

    def take_booking() -> bool:
        barrier.wait()
        request = BookingRequest("svc-cut", "staff-li", day, 630, CustomerInfo("C", "+8613800138000"))
        try:
            booking_service.book(store, Actor("c", Role.CUSTOMER), request, now())
        except SlotTaken:
            return False
        return True

    with ThreadPoolExecutor(2) as pool:
        return [f.result() for f in [pool.submit(take_block), pool.submit(take_booking)]]


def test_a_block_and_a_booking_racing_for_one_time_never_both_win(store: Store) -> None:
    days = sorted({working_day(ahead) for ahead in range(3, 9)})  # Sundays fold onto Mondays
    for day in days:  # a 10:00-11:00 block against a 10:30-11:15 booking
        assert sorted(race_block_against_booking(store, day)) == [False, True], day


def test_the_schedule_shows_hours_appointments_blocks_and_free_time_per_day(api: Api, alice: str, staff: str) -> None:
    book(api, alice)
    block(api, staff, "14:00")
    with count_dynamodb_calls() as calls:
        answer = api.get(f"{LI}/schedule?startDate={DAY}&endDate={DAY}", staff)
    assert answer.status == 200, answer.body
    day = answer.body["schedule"][0]
    assert day["date"] == DAY
    assert day["workingHours"] == [{"start": "09:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]
    assert [a["timeSlot"] for a in day["appointments"]] == ["10:00"]
    assert [(b["start"], b["end"]) for b in day["blocks"]] == [("14:00", "14:30")]
    assert day["free"][:2] == [{"start": "09:00", "end": "10:00"}, {"start": "10:45", "end": "12:00"}]
    assert day["freeMinutes"] == 8 * 60 - 45 - 30
    assert calls["Scan"] == 0 and sum(calls.values()) <= 3
    last = (date.fromisoformat(DAY) + timedelta(days=6)).isoformat()
    week = api.get(f"{LI}/schedule?startDate={DAY}&endDate={last}", staff).body["schedule"]
    assert [d["date"] for d in week][::6] == [DAY, last] and len(week) == 7
    assert api.get(f"{LI}/schedule?startDate={DAY}&endDate=2020-01-01", staff).status == 400


def test_conflicts_list_appointments_blocks_and_outside_hours(api: Api, alice: str, staff: str) -> None:
    appointment_id = book(api, alice)
    block_id = block(api, staff, "11:00").body["id"]
    base = f"/appointments/schedule/conflicts?staffId=staff-li&date={DAY}"
    found = api.get(f"{base}&timeSlot=10:30-11:30", staff).body["conflicts"]
    assert {(c["type"], c["id"]) for c in found} == {("appointment", appointment_id), ("block", block_id)}
    lunch = api.get(f"{base}&timeSlot=12:00", staff).body["conflicts"]
    assert [c["type"] for c in lunch] == ["outside_hours"]
    assert api.get(f"{base}&timeSlot=16:00", staff).body["conflicts"] == []
    assert api.get(f"{base}&timeSlot=nonsense", staff).status == 400


def test_the_overview_shows_every_staff_members_day_in_two_queries_and_one_batch_of_stamps(
    api: Api, alice: str, bob: str, staff: str
) -> None:
    book(api, alice)
    book(api, bob, staffId="staff-wang", time="13:00")
    block(api, staff, "15:00")
    with count_dynamodb_calls() as calls:
        answer = api.get(f"/appointments/schedule/overview?date={DAY}", staff)
    assert calls == {"Query": 2, "BatchGetItem": 1}  # the catalogue, the day; its appointments' sent stamps
    overview = answer.body["overview"]
    by_id = {s["id"]: s for s in overview["staff"]}
    assert set(by_id) == {"staff-li", "staff-wang", "staff-chen"}
    assert len(by_id["staff-li"]["appointments"]) == 1 and len(by_id["staff-li"]["blocks"]) == 1
    assert by_id["staff-chen"]["freeMinutes"] == 8 * 60
    assert overview["totals"] == {
        "appointments": 2,
        "blocks": 1,
        "bookedMinutes": 90,
        "freeMinutes": 3 * 8 * 60 - 90 - 30,
    }


def test_the_overview_without_a_date_is_of_today_where_the_business_is(api: Api) -> None:
    tomorrow = datetime.now(UTC).date() + timedelta(days=1)
    late_evening_in_utc = datetime.combine(tomorrow, time(17, 30), UTC)  # 01:30 the day after, in Shanghai
    with time_machine.travel(late_evening_in_utc, tick=False):
        answer = api.get("/appointments/schedule/overview", token_for(Role.STAFF, "Front Desk"))

    assert answer.status == 200
    assert answer.body["overview"]["date"] == (tomorrow + timedelta(days=1)).isoformat()


def test_new_hours_are_stored_and_appointments_left_outside_are_reported(api: Api, alice: str, staff: str) -> None:
    appointment_id = book(api, alice)
    hours = {
        "weekly": {d: [{"start": "12:00", "end": "20:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat")},
        "breaks": [],
        "overrides": {"2020-01-01": []},
    }
    answer = api.put(f"{LI}/availability", {"availability": hours}, staff)
    assert answer.status == 200, answer.body
    assert [a["id"] for a in answer.body["outsideHours"]] == [appointment_id]
    assert answer.body["availability"]["overrides"] == {}  # past overrides are dropped
    assert slots(api)[0] == "12:00" and slots(api)[-1] == "19:00"
    assert api.put(f"{LI}/availability", {"availability": {"weekly": {"moonday": []}}}, staff).status == 400
    assert api.put("/appointments/staff/ghost/availability", {"availability": hours}, staff).status == 404


def test_customers_are_refused_on_every_schedule_route(api: Api, alice: str) -> None:
    for method, path in [
        ("GET", f"{LI}/schedule?startDate={DAY}"),
        ("PUT", f"{LI}/availability"),
        ("POST", "/appointments/schedule/block"),
        ("DELETE", "/appointments/schedule/unblock/x"),
        ("GET", "/appointments/schedule/conflicts"),
        ("GET", f"/appointments/schedule/overview?date={DAY}"),
    ]:
        assert api.call(method, path, body={}, token=alice).status == 403, path
        assert api.call(method, path, body={}).status == 401, path
