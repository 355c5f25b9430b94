"""Processing time: a service made of stretches, the staff member free during some of them."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.actor import Role
from tests.conftest import working_day
from tests.integration.conftest import Api, booking, token_for

DAY = working_day().isoformat()
COLOUR = {
    "name": "Colour with processing",
    "duration": 105,
    "price": 300,
    "segments": [
        {"minutes": 30, "label": "Apply"},
        {"minutes": 45, "staffFree": True, "label": "Process"},
        {"minutes": 30, "label": "Rinse and cut"},
    ],
}


def add_service(api: Api, **changes: Any) -> dict[str, Any]:
    owner = token_for(Role.ADMIN, "Owner")
    made = api.post("/admin/services", {**COLOUR, **changes}, owner)
    assert made.status == 201, made.body
    service = made.body["service"]
    performs = ["svc-consult", "svc-cut", service["id"]]
    assert api.put("/admin/staff/staff-wang", {"serviceIds": performs}, owner).status == 200
    return dict(service)


def starts(api: Api, service_id: str) -> list[str]:
    query = f"serviceId={service_id}&staffId=staff-wang&date={DAY}"
    return [s["start"] for s in api.get(f"/appointments/availability/slots?{query}").body["slots"]]


def book(api: Api, token: str, service_id: str, time: str, price: float) -> Any:
    body = booking("svc-cut", "staff-wang", time, serviceId=service_id, totalAmount=price)
    return api.post("/appointments/book", body, token)


def test_a_stylist_takes_a_second_client_during_a_colours_processing_time(api: Api, alice: str, bob: str) -> None:
    colour = add_service(api)
    assert colour["segments"][1] == {"minutes": 45, "staffFree": True, "label": "Process"}
    booked = book(api, alice, colour["id"], "10:00", 300)
    assert booked.status == 201, booked.body
    assert [s["staffFree"] for s in booked.body["appointment"]["segments"]] == [False, True, False]

    offered = starts(api, "svc-consult")  # 30 minutes: 10:30-11:00 falls inside 10:30-11:15's processing
    assert "10:30" in offered and "10:00" not in offered and "11:00" not in offered
    assert book(api, bob, "svc-consult", "10:30", 0).status == 201
    assert "10:30" not in starts(api, "svc-consult")


def test_the_processing_stretch_is_never_double_booked_past_its_end(api: Api, alice: str, bob: str) -> None:
    colour = add_service(api)
    assert book(api, alice, colour["id"], "10:00", 300).status == 201
    overlapping = book(api, bob, "svc-consult", "11:00", 0)  # 11:00-11:30 meets the rinse at 11:15
    assert overlapping.status == 409 and overlapping.body["error"]["fields"] == {"calendar": "staff:staff-wang"}


def test_a_service_keeps_its_own_buffers(api: Api, alice: str) -> None:
    plain = add_service(api, segments=None, duration=60, bufferAfter=30)
    assert (plain["bufferBefore"], plain["bufferAfter"]) == (None, 30)
    booked = book(api, alice, plain["id"], "10:00", 300)
    assert booked.status == 201, booked.body
    assert "11:00" not in starts(api, "svc-consult") and "11:30" in starts(api, "svc-consult")


def test_segments_must_make_up_the_duration_and_need_the_staff_member_somewhere(api: Api) -> None:
    owner = token_for(Role.ADMIN, "Owner")
    for segments, why in (
        ([{"minutes": 30}, {"minutes": 30, "staffFree": True}], "not the duration"),
        ([{"minutes": 105, "staffFree": True}], "nobody busy"),
        ([{"minutes": 3}, {"minutes": 102}], "out of range"),
        ([{"minutes": 30, "colour": "red"}], "wrong shape"),
        ("apply then process", "expected a list"),
    ):
        refused = api.post("/admin/services", {**COLOUR, "segments": segments}, owner)
        assert refused.status == 400 and refused.body["error"]["fields"] == {"segments": why}, segments
    for buffer, why in ((70, "too long"), (7, "out of range"), ("ten", "wrong type")):
        refused = api.post("/admin/services", {**COLOUR, "bufferAfter": buffer}, owner)
        assert refused.status == 400 and refused.body["error"]["fields"] == {"bufferAfter": why}, buffer


def test_a_move_keeps_the_appointments_segments(api: Api, alice: str, bob: str) -> None:
    colour = add_service(api)
    booked = book(api, alice, colour["id"], "10:00", 300).body["appointment"]
    moved = api.put(f"/appointments/{booked['id']}/reschedule", {"date": DAY, "timeSlot": "13:00"}, alice)
    assert moved.status == 200, moved.body
    assert moved.body["appointment"]["segments"] == booked["segments"]
    assert book(api, bob, "svc-consult", "13:30", 0).status == 201  # inside the moved one's processing
