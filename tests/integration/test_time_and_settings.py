"""Time and settings: instants honoured, wall times by one rule, hours read and merged, settings guarded."""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import Rules, offered_slot
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.errors import ConcurrentChange, SettingsInUse, SlotTaken, TimeNotOffered, UpstreamUnavailable
from chalicelib.domain.history import Change
from chalicelib.domain.money import Money
from chalicelib.services import admin, appointments, closures, schedule, unit_of_work
from chalicelib.services import booking as booking_service
from chalicelib.services.booking import BookingRequest
from chalicelib.store import Store
from tests.conftest import now, working_day
from tests.dynamodb_calls import count_dynamodb_calls
from tests.integration.conftest import Api, booking, token_for
from tests.integration.test_booking_routes import error_code, slots

LI = "/appointments/staff/staff-li"
FALL_BACK = "2027-11-07"  # New York repeats 01:00-02:00 that night
SPRING_FORWARD = "2027-03-14"  # and skips 02:00-03:00 this one
DAY = working_day().isoformat()
GUEST = CustomerInfo("Guest", "+8613800138000")
CUSTOMER = Actor("c1", Role.CUSTOMER)
PRICES_IN_USD = {"svc-consult": 0, "svc-cut": 12.5, "svc-scalp": 24, "svc-colour": 56}


def in_new_york(store: Store) -> None:
    store.catalogue.save_settings(replace(store.catalogue.read().settings, timezone="America/New_York"))


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
    assert store.appointments.get(second.body["appointment"]["id"]).start.isoformat() == f"{FALL_BACK}T06:00:00+00:00"
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
    assert store.timelines.of_staff(
        "staff-li", datetime(2027, 3, 13, tzinfo=UTC), datetime(2027, 3, 16, tzinfo=UTC)
    ) == ([], [])
    across = arrange(api, staff, date=SPRING_FORWARD, timeSlot="01:30")  # 45 real minutes, ending 03:15 EDT
    assert across.status == 201 and across.body["appointment"]["endTime"] == "03:15"


def test_the_time_zone_and_currency_cannot_change_under_open_appointments(api: Api, alice: str, store: Store) -> None:
    boss = token_for(Role.ADMIN, "Owner")
    assert api.post("/appointments/book", booking(), alice).status == 201
    for change in ({"timezone": "Europe/Berlin"}, {"currency": "USD", "prices": PRICES_IN_USD}):
        refused = api.put("/admin/settings", change, boss)
        assert refused.status == 409 and error_code(refused.body) == "SETTINGS_IN_USE", refused.body
        assert "cancel or complete the 1 open appointments first" in refused.body["error"]["message"]
    settings = api.get("/admin/settings", boss).body["settings"]
    assert (settings["timezone"], settings["currency"]) == ("Asia/Shanghai", "CNY")
    assert api.put("/admin/settings", {"timezone": "Asia/Shanghai", "name": "Same clock"}, boss).status == 200


def test_a_new_currency_reprices_every_service_in_the_same_change(api: Api, store: Store) -> None:
    boss = token_for(Role.ADMIN, "Owner")
    unpriced = api.put("/admin/settings", {"currency": "USD"}, boss)
    assert unpriced.status == 409 and "reprice them in the same change" in unpriced.body["error"]["message"]
    assert api.get("/admin/settings", boss).body["settings"]["currency"] == "CNY"
    assert api.put("/admin/settings", {"prices": PRICES_IN_USD}, boss).status == 400
    assert api.put("/admin/settings", {"currency": "USD", "prices": {**PRICES_IN_USD, "ghost": 1}}, boss).status == 400
    moved = api.put("/admin/settings", {"currency": "USD", "prices": PRICES_IN_USD}, boss)
    assert moved.status == 200 and moved.body["settings"]["currency"] == "USD"
    prices = {s.id: s.price for s in store.catalogue.read().services.values() if s.active}
    assert prices["svc-cut"] == Money(1250, "USD") and {p.currency for p in prices.values()} == {"USD"}


def test_a_partial_hours_change_keeps_what_it_does_not_name_and_the_hours_can_be_read(
    api: Api, staff: str, alice: str
) -> None:
    before = api.get(f"{LI}/availability", staff)
    assert before.status == 200 and before.body["availability"]["weekly"]["mon"], before.body
    api.post("/appointments/book", booking(), alice)
    day_off = {"overrides": {DAY: [], "2099-01-01": [{"start": "10:00", "end": "12:00"}]}}
    with count_dynamodb_calls() as calls:
        changed = api.put(f"{LI}/availability", {"availability": day_off}, staff)
    assert calls == {"Query": 2, "PutItem": 1, "BatchGetItem": 1}  # catalogue, the write, locks, appointments
    assert changed.status == 200, changed.body
    after = api.get(f"{LI}/availability", staff).body["availability"]
    assert (after["weekly"], after["breaks"]) == (
        before.body["availability"]["weekly"],
        before.body["availability"]["breaks"],
    )
    assert after["overrides"] == {DAY: [], "2099-01-01": [{"start": "10:00", "end": "12:00"}]}
    assert slots(api) == []
    reopened = api.put(f"{LI}/availability", {"availability": {"overrides": {DAY: None}}}, staff)
    assert reopened.body["availability"]["overrides"] == {"2099-01-01": [{"start": "10:00", "end": "12:00"}]}
    assert slots(api)[0] == "09:00"
    typo = api.put(f"{LI}/availability", {"availability": {"weekley": {}}}, staff)
    assert typo.status == 400 and typo.body["error"]["fields"] == {"weekley": "unknown field"}
    assert api.get("/appointments/staff/ghost/availability", staff).status == 404


def test_customers_cannot_read_or_change_staff_hours(api: Api, alice: str) -> None:
    for method in ("GET", "PUT"):
        assert api.call(method, f"{LI}/availability", body={}, token=alice).status == 403
        assert api.call(method, f"{LI}/availability", body={}).status == 401


def test_a_booking_decided_on_the_old_hours_cannot_commit_after_they_change(store: Store) -> None:
    stale = store.catalogue.read()
    service, member = stale.performer("svc-cut", "staff-li")
    slot = offered_slot(working_day(), 600, member.hours, service, Rules(stale.settings, now()))
    assert slot is not None
    schedule.set_hours(store, "staff-li", {"overrides": {DAY: []}}, now())
    late = Appointment.book("c1", GUEST, service, member, slot, stale.settings, now())
    with pytest.raises(ConcurrentChange, match="changed meanwhile"):
        unit_of_work.commit(store, None, late, Change.of("book", CUSTOMER, None, late), staff=(member,))
    assert store.timelines.open_appointments("staff-li", now(), now() + timedelta(days=30)) == []


def close_a_day_while_eight_customers_book_it(store: Store, day: date) -> tuple[set[str], set[str]]:
    """The appointments open on the day afterwards, and the ones the hours change reported."""
    barrier = threading.Barrier(9)

    def book(i: int) -> list[str]:
        barrier.wait()
        request = BookingRequest("svc-cut", "staff-li", day, 9 * 60 + 60 * i, GUEST)
        with contextlib.suppress(ConcurrentChange, SlotTaken, TimeNotOffered):
            booking_service.book(store, Actor(f"c{day}-{i}", Role.CUSTOMER), request, now())
        return []

    def close_the_day() -> list[str]:
        barrier.wait()
        _, outside = schedule.set_hours(store, "staff-li", {"overrides": {day.isoformat(): []}}, now())
        return [a.id for a in outside]

    with ThreadPoolExecutor(9) as pool:
        futures = [pool.submit(book, i) for i in range(8)] + [pool.submit(close_the_day)]
        reported = {appointment_id for future in futures for appointment_id in future.result()}
    ahead = store.timelines.open_appointments("staff-li", now(), now() + timedelta(days=30))
    return {a.id for a in ahead if a.local_start.date() == day}, reported


def test_an_hours_change_racing_bookings_reports_every_appointment_it_leaves_outside(store: Store) -> None:
    for day in sorted({working_day(ahead) for ahead in range(3, 9)}):
        booked, reported = close_a_day_while_eight_customers_book_it(store, day)
        assert booked <= reported, f"{day}: {len(booked)} booked, {len(booked & reported)} reported"


def close(api: Api, *days: str, name: str = "Holiday") -> Any:
    return api.post("/admin/closures", {"dates": list(days), "name": name}, token_for(Role.ADMIN, "Owner"))


def test_a_closure_shuts_every_staff_member_and_reports_what_is_booked_then(api: Api, alice: str, staff: str) -> None:
    booked = api.post("/appointments/book", booking(), alice).body["appointment"]["id"]
    with count_dynamodb_calls() as calls:
        added = close(api, DAY, name="Staff outing")
    assert calls == {"Query": 1 + 3, "TransactWriteItems": 1, "BatchGetItem": 1}  # catalogue; per staff, locks
    assert added.status == 201, added.body
    assert added.body["closures"] == [{"date": DAY, "name": "Staff outing"}]
    assert [a["id"] for a in added.body["openAppointments"]] == [booked]
    assert api.get("/admin/closures", token_for(Role.ADMIN, "Owner")).body["closures"] == added.body["closures"]
    for member, service in (("staff-li", "svc-cut"), ("staff-chen", "svc-scalp")):
        assert slots(api, service, member) == []
        dates = api.get(f"/appointments/availability/dates?serviceId={service}&staffId={member}&days=14").body
        assert DAY not in [d["date"] for d in dates["dates"]]
    refused = api.post("/appointments/book", booking(time="15:00"), alice)
    assert refused.status == 400 and error_code(refused.body) == "TIME_NOT_OFFERED"
    moved = api.put(f"/appointments/{booked}/reschedule", {"date": DAY, "timeSlot": "15:00"}, alice)
    assert moved.status == 400 and error_code(moved.body) == "TIME_NOT_OFFERED"
    walk_in = arrange(api, staff, date=DAY, timeSlot="15:00")
    assert walk_in.status == 400 and walk_in.body["error"]["fields"] == {"scheduledAt": "outside hours"}
    day = api.get(f"{LI}/schedule?startDate={DAY}", staff).body["schedule"][0]
    assert day["workingHours"] == [] and day["free"] == []


def test_removing_a_closure_offers_the_day_again(api: Api) -> None:
    boss = token_for(Role.ADMIN, "Owner")
    close(api, DAY)
    assert api.call("DELETE", f"/admin/closures/{DAY}", token=boss).body == {"success": True}
    assert slots(api)[0] == "09:00"
    assert api.get("/admin/closures", boss).body["closures"] == []
    assert api.call("DELETE", f"/admin/closures/{DAY}", token=boss).status == 404
    assert api.call("DELETE", "/admin/closures/someday", token=boss).status == 400


def test_closures_validate_their_dates_and_change_nothing_when_wrong(api: Api) -> None:
    boss = token_for(Role.ADMIN, "Owner")
    bodies: list[dict[str, Any]] = [
        {"dates": []},
        {"dates": "2030-01-01"},
        {"dates": ["2020-01-01"]},
        {"dates": ["2099-01-01"]},
        {"dates": ["31/12/2030"]},
        {"dates": [DAY], "name": "x" * 101},
        {"dates": [DAY], "colour": "red"},
    ]
    for body in bodies:
        assert api.post("/admin/closures", body, boss).status == 400, body
    assert api.get("/admin/closures", boss).body["closures"] == []


def test_only_admins_manage_closures(api: Api, alice: str, staff: str) -> None:
    for token in (alice, staff):
        assert api.get("/admin/closures", token).status == 403
        assert api.post("/admin/closures", {"dates": [DAY]}, token).status == 403
        assert api.call("DELETE", f"/admin/closures/{DAY}", token=token).status == 403
    assert api.get("/admin/closures").status == 401


def test_what_availability_offers_on_the_days_around_a_closure_can_be_booked(api: Api, alice: str) -> None:
    closed, open_day = working_day(3), working_day(5)
    close(api, closed.isoformat())
    dates = api.get("/appointments/availability/dates?serviceId=svc-cut&staffId=staff-li&days=10").body["dates"]
    offered = [d["date"] for d in dates]
    assert closed.isoformat() not in offered and open_day.isoformat() in offered
    for day in offered[:3]:
        first = slots(api, day=day)[0]
        made = api.post("/appointments/book", booking(date=day, time=first), alice)
        assert made.status == 201, (day, made.body)


def test_a_booking_decided_before_a_closure_cannot_commit_after_it(store: Store) -> None:
    stale = store.catalogue.read()
    service, member = stale.performer("svc-cut", "staff-li")
    slot = offered_slot(working_day(), 600, stale.hours(member), service, Rules(stale.settings, now()))
    assert slot is not None
    _, reported = closures.close(store, {working_day()}, "Holiday", now())
    assert reported == []
    late = Appointment.book("c1", GUEST, service, member, slot, stale.settings, now())
    with pytest.raises(ConcurrentChange):
        unit_of_work.commit(store, None, late, Change.of("book", CUSTOMER, None, late), staff=(member,))


def change_the_clock_while_eight_customers_book(store: Store, round_number: int) -> tuple[bool, list[Appointment]]:
    """Whether the clock changed, and the appointments open afterwards on the other clock."""
    barrier = threading.Barrier(9)
    day = working_day(3 + round_number)
    zones = ("America/New_York", "Asia/Shanghai")
    wanted = zones[round_number % 2]

    def book(i: int) -> None:
        barrier.wait()
        request = BookingRequest("svc-consult", "staff-wang", day, 9 * 60 + 30 * i, GUEST)
        with contextlib.suppress(ConcurrentChange, SlotTaken, TimeNotOffered, UpstreamUnavailable):
            booking_service.book(store, Actor(f"c{round_number}-{i}", Role.CUSTOMER), request, now())

    def change() -> bool:
        barrier.wait()
        try:
            admin.update_settings(store, {"timezone": wanted})
        except SettingsInUse:
            return False
        return True

    with ThreadPoolExecutor(9) as pool:
        for i in range(8):
            pool.submit(book, i)
        changed = pool.submit(change).result()
    ahead = store.timelines.open_appointments("staff-wang", now() - timedelta(days=1), now() + timedelta(days=30))
    current = store.catalogue.read().settings.timezone
    for appointment in ahead:  # close them for the next round
        appointments.cancel(store, Actor("desk", Role.STAFF), appointment.id, "", now())
    return changed, [a for a in ahead if a.timezone != current]


def test_a_clock_change_racing_bookings_never_leaves_an_open_appointment_on_the_old_clock(store: Store) -> None:
    outcomes = [change_the_clock_while_eight_customers_book(store, n) for n in range(6)]
    assert [stale for _, stale in outcomes] == [[]] * 6
    assert store.catalogue.read().settings.changing_until == 0  # no change left half done


def test_while_the_clock_changes_nothing_is_booked_and_a_crashed_change_lapses(store: Store) -> None:
    settings = store.catalogue.read().settings
    store.catalogue.save_settings(replace(settings, changing_until=int(now().timestamp()) + 30))
    request = BookingRequest("svc-consult", "staff-wang", working_day(), 9 * 60, GUEST)
    with pytest.raises(UpstreamUnavailable):
        booking_service.book(store, CUSTOMER, request, now())
    later = now() + timedelta(seconds=31)
    assert booking_service.book(store, CUSTOMER, request, later).status.value == "confirmed"
