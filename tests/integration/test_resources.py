"""Rooms, chairs and equipment: services that need one, bookings that take a free one, blocks on them."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from chalicelib.domain.actor import Role
from chalicelib.store import Store
from scripts import invariants
from tests.conftest import working_day
from tests.integration.conftest import Api, booking, token_for
from tests.integration.test_booking_routes import error_code
from tests.integration.test_migrate_occupancy import table

DAY = working_day().isoformat()
OWNER = token_for(Role.ADMIN, "Owner")
DESK = token_for(Role.STAFF, "Front Desk")
FACIAL = {"name": "Facial", "duration": 60, "price": 200, "needs": ["Treatment  Room"]}


def add_room(api: Api, name: str, kind: str = "treatment room") -> dict[str, Any]:
    made = api.post("/admin/resources", {"name": name, "type": kind}, OWNER)
    assert made.status == 201, made.body
    return dict(made.body["resource"])


def add_facial(api: Api, **changes: Any) -> dict[str, Any]:
    """A service needing a treatment room, performed by all three stylists."""
    made = api.post("/admin/services", {**FACIAL, **changes}, OWNER)
    assert made.status == 201, made.body
    service = made.body["service"]
    for staff_id, performs in (
        ("staff-li", ["svc-consult", "svc-cut", "svc-scalp", "svc-colour"]),
        ("staff-wang", ["svc-consult", "svc-cut", "svc-colour"]),
        ("staff-chen", ["svc-consult", "svc-scalp"]),
    ):
        assert api.put(f"/admin/staff/{staff_id}", {"serviceIds": [*performs, service["id"]]}, OWNER).status == 200
    return dict(service)


def book(api: Api, token: str, service_id: str, staff_id: str, time: str = "10:00", price: float = 200) -> Any:
    return api.post(
        "/appointments/book", booking("svc-cut", staff_id, time, serviceId=service_id, totalAmount=price), token
    )


def starts(api: Api, service_id: str, staff_id: str, day: str = DAY) -> list[str]:
    query = f"serviceId={service_id}&staffId={staff_id}&date={day}"
    return [s["start"] for s in api.get(f"/appointments/availability/slots?{query}").body["slots"]]


def occupancy_problems(store: Store) -> list[invariants.Violation]:
    """Every calendar, rooms too: no overlap, no stray hold, no missing hold."""
    snapshot = table(store)
    return [*invariants.overlaps(snapshot), *invariants.stray_holds(snapshot), *invariants.missing_holds(snapshot)]


def held(answer: Any) -> list[str]:
    return [unit["name"] for unit in answer.body["appointment"]["resources"]]


def test_each_booking_takes_a_free_room_and_the_last_room_goes_to_one(
    api: Api, store: Store, alice: str, bob: str
) -> None:
    add_room(api, "Room 2")
    add_room(api, "Room 1")
    facial = add_facial(api)
    assert facial["needs"] == ["treatment room"]  # one spelling of a type, whatever the admin typed

    first = book(api, alice, facial["id"], "staff-li")
    assert first.status == 201, first.body
    assert held(first) == ["Room 1"] and first.body["appointment"]["resources"][0]["type"] == "treatment room"
    second = book(api, bob, facial["id"], "staff-wang")
    assert second.status == 201 and held(second) == ["Room 2"]

    assert "10:00" not in starts(api, facial["id"], "staff-chen")  # Chen is free, but no room is
    assert "10:00" in starts(api, "svc-scalp", "staff-chen")  # a service needing no room is still offered
    third = book(api, token_for(Role.CUSTOMER, "Carol"), facial["id"], "staff-chen")
    assert third.status == 409 and third.body["error"]["fields"] == {"resources": "treatment room"}
    assert "11:00" in starts(api, facial["id"], "staff-chen")
    assert occupancy_problems(store) == []


def test_a_room_is_held_through_processing_time_and_buffers(api: Api, alice: str, bob: str) -> None:
    add_room(api, "Room 1")
    colour = add_facial(
        api,
        duration=105,
        bufferAfter=15,
        segments=[{"minutes": 30}, {"minutes": 45, "staffFree": True}, {"minutes": 30}],
    )
    assert book(api, alice, colour["id"], "staff-li", "10:00").status == 201  # room 10:00-12:00 with cleaning
    assert "10:30" in starts(api, "svc-consult", "staff-li")  # Li is free while it processes
    assert book(api, bob, "svc-consult", "staff-li", "10:30", 0).status == 201
    for taken in ("09:00", "10:00", "11:30"):  # the only room is in use (or would be) until 12:00
        assert taken not in starts(api, colour["id"], "staff-wang"), taken


def test_moving_keeps_the_room_when_it_is_free_and_takes_another_when_not(
    api: Api, store: Store, alice: str, bob: str
) -> None:
    add_room(api, "Room 1")
    add_room(api, "Room 2")
    facial = add_facial(api)
    mine = book(api, alice, facial["id"], "staff-li", "10:00").body["appointment"]
    assert book(api, bob, facial["id"], "staff-wang", "14:00").status == 201  # takes Room 1 at 14:00

    later = api.put(f"/appointments/{mine['id']}/reschedule", {"date": DAY, "timeSlot": "15:00"}, alice)
    assert later.status == 200 and held(later) == ["Room 1"]  # kept: free at 15:00
    clash = api.put(f"/appointments/{mine['id']}/reschedule", {"date": DAY, "timeSlot": "14:00"}, alice)
    assert clash.status == 200 and held(clash) == ["Room 2"]  # Room 1 is Bob's then
    assert "15:00" in starts(api, facial["id"], "staff-wang")  # the time it left is free again
    assert occupancy_problems(store) == []


def test_a_room_in_maintenance_is_not_taken(api: Api, store: Store, alice: str, bob: str) -> None:
    one, two = add_room(api, "Room 1"), add_room(api, "Room 2")
    facial = add_facial(api)
    for room in (one, two):
        blocked = api.post(
            "/appointments/schedule/block",
            {"resourceId": room["id"], "date": DAY, "timeSlot": "09:00-11:00", "reason": "Deep clean"},
            DESK,
        )
        assert blocked.status == 201, blocked.body
        assert blocked.body["block"]["resourceId"] == room["id"] and blocked.body["block"]["staffId"] == ""
    assert "10:00" not in starts(api, facial["id"], "staff-li") and "11:00" in starts(api, facial["id"], "staff-li")
    assert book(api, alice, facial["id"], "staff-li", "10:00").status == 409
    assert api.call("DELETE", f"/appointments/schedule/unblock/{blocked.body['id']}", token=DESK).status == 200
    taken = book(api, alice, facial["id"], "staff-li", "10:00")
    assert taken.status == 201 and held(taken) == ["Room 2"]

    again = api.post(
        "/appointments/schedule/block", {"resourceId": two["id"], "date": DAY, "timeSlot": "10:30-11:00"}, DESK
    )
    assert again.status == 409 and f"appointment {taken.body['appointment']['id']}" in again.body["error"]["message"]
    for body in ({"date": DAY, "timeSlot": "13:00"}, {"staffId": "staff-li", "resourceId": two["id"], "date": DAY}):
        refused = api.post("/appointments/schedule/block", {"timeSlot": "13:00", **body}, DESK)
        assert refused.status == 400 and refused.body["error"]["fields"] == {"staffId": "staffId or resourceId"}
    unknown = api.post(
        "/appointments/schedule/block", {"resourceId": "res-nope", "date": DAY, "timeSlot": "13:00"}, DESK
    )
    assert unknown.status == 404
    assert occupancy_problems(store) == []


def test_the_overview_shows_each_rooms_day(api: Api, alice: str) -> None:
    add_room(api, "Room 1")
    chair = add_room(api, "Chair A", "colour chair")
    facial = add_facial(api)
    mine = book(api, alice, facial["id"], "staff-li", "10:00").body["appointment"]
    api.post("/appointments/schedule/block", {"resourceId": chair["id"], "date": DAY, "timeSlot": "09:00-10:00"}, DESK)

    day = api.get(f"/appointments/schedule/overview?date={DAY}", DESK).body["overview"]
    rooms = {r["name"]: r for r in day["resources"]}
    assert [r["name"] for r in day["resources"]] == ["Chair A", "Room 1"]  # by type, then name
    assert [a["id"] for a in rooms["Room 1"]["appointments"]] == [mine["id"]]
    free = [{"start": "09:00", "end": "10:00"}, {"start": "11:00", "end": "12:00"}, {"start": "13:00", "end": "18:00"}]
    assert rooms["Room 1"]["free"] == free  # while anyone works: everyone lunches at 12:00
    assert rooms["Room 1"]["freeMinutes"] == 420 and rooms["Chair A"]["freeMinutes"] == 420
    assert [b["reason"] for b in rooms["Chair A"]["blocks"]] == [""]
    li = next(s for s in day["staff"] if s["id"] == "staff-li")
    assert [b["id"] for b in li["blocks"]] == []  # a room's block is not Li's


def test_retiring_a_room_reports_what_still_holds_it_and_no_booking_takes_it(api: Api, alice: str, bob: str) -> None:
    one, two = add_room(api, "Room 1"), add_room(api, "Room 2")
    facial = add_facial(api)
    mine = book(api, alice, facial["id"], "staff-li", "10:00").body["appointment"]
    retired = api.call("DELETE", f"/admin/resources/{one['id']}", token=OWNER)
    assert retired.status == 200 and retired.body["resource"]["active"] is False
    assert [a["id"] for a in retired.body["futureAppointments"]] == [mine["id"]]
    assert held(book(api, bob, facial["id"], "staff-wang", "14:00")) == ["Room 2"]

    listed = api.get("/admin/resources", DESK).body["resources"]
    assert [(r["name"], r["active"]) for r in listed] == [("Room 2", True), ("Room 1", False)]
    renamed = api.put(f"/admin/resources/{two['id']}", {"name": "Garden room"}, OWNER)
    assert renamed.status == 200 and renamed.body["resource"]["name"] == "Garden room"
    assert api.put(f"/admin/resources/{one['id']}", {"name": "Back"}, OWNER).status == 404  # retired


def test_what_a_client_sends_about_resources_is_checked(api: Api, alice: str) -> None:
    for body, field, why in (
        ({"name": "Room"}, "type", "required"),
        ({"type": "room"}, "name", "required"),
        ({"name": "Room", "type": 7}, "type", "required"),
        ({"name": "Room", "type": "x" * 61}, "type", "too long"),
        ({"name": "Room", "type": "room", "floor": 2}, "floor", "unknown field"),
    ):
        refused = api.post("/admin/resources", body, OWNER)
        assert refused.status == 400 and refused.body["error"]["fields"] == {field: why}, body
    for needs, why in (
        (["laser"], "unknown resource type"),  # no active unit of it
        ("room", "expected a list"),
        (["a", "b", "c", "d"], "expected a list"),
        (["room", "Room"], "repeated"),
    ):
        add_room(api, "Room 1", "room")
        refused = api.post("/admin/services", {**FACIAL, "needs": needs}, OWNER)
        assert refused.status == 400 and refused.body["error"]["fields"] == {"needs": why}, needs
    assert api.get("/admin/resources", alice).status == 403
    assert api.post("/admin/resources", {"name": "Room", "type": "room"}, DESK).status == 403
    assert api.call("DELETE", "/admin/resources/res-nope", token=OWNER).status == 404
    assert error_code(api.put("/admin/resources/res-nope", {"name": "x"}, OWNER).body) == "NOT_FOUND"


def test_a_twelve_hour_service_with_a_room_and_processing_time_is_booked_moved_and_cancelled(
    api: Api, store: Store, alice: str, bob: str
) -> None:
    add_room(api, "Suite")
    day, after = working_day(), working_day() + timedelta(days=1)
    long_hours = {"overrides": {d.isoformat(): [{"start": "08:00", "end": "24:00"}] for d in (day, after)}}
    for staff_id in ("staff-li", "staff-wang"):
        assert api.put(f"/appointments/staff/{staff_id}/availability", {"availability": long_hours}, DESK).status == 200
    spa = add_facial(
        api,
        name="Spa day",
        duration=720,
        price=2400,
        segments=[{"minutes": 120}, {"minutes": 480, "staffFree": True}, {"minutes": 120}],
    )
    made = book(api, alice, spa["id"], "staff-li", "12:00", 2400)  # 12:00 to midnight
    assert made.status == 201, made.body
    spa_day = made.body["appointment"]
    assert (held(made), spa_day["endTime"]) == (["Suite"], "00:00")
    assert book(api, bob, "svc-consult", "staff-li", "15:00", 0).status == 201  # Li is free mid-session
    assert "12:00" not in starts(api, spa["id"], "staff-wang")  # Wang is, but the suite is not

    moved = api.put(
        f"/appointments/{spa_day['id']}/reschedule", {"date": after.isoformat(), "timeSlot": "08:00"}, alice
    )
    assert moved.status == 200 and held(moved) == ["Suite"]
    assert "12:00" in starts(api, spa["id"], "staff-wang")
    cancelled = api.put(f"/appointments/{spa_day['id']}/cancel", {"reason": "Unwell"}, alice)
    assert cancelled.status == 200
    assert "08:00" in starts(api, spa["id"], "staff-wang", after.isoformat())
    assert occupancy_problems(store) == []
