"""Time and settings: instants honoured, wall times by one rule, hours read and merged, settings guarded."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.appointment import Role
from chalicelib.domain.money import Money
from chalicelib.store.repository import Store
from tests.integration.conftest import Api, booking, token_for
from tests.integration.test_booking_routes import error_code

LI = "/appointments/staff/staff-li"
FALL_BACK = "2027-11-07"  # New York repeats 01:00-02:00 that night
SPRING_FORWARD = "2027-03-14"  # and skips 02:00-03:00 this one
PRICES_IN_USD = {"svc-consult": 0, "svc-cut": 12.5, "svc-scalp": 24, "svc-colour": 56}


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
    prices = {s.id: s.price for s in store.catalogue().services.values() if s.active}
    assert prices["svc-cut"] == Money(1250, "USD") and {p.currency for p in prices.values()} == {"USD"}
