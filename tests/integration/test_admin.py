from __future__ import annotations

import pytest

from chalicelib.domain.actor import Role
from tests.conftest import working_day
from tests.integration.conftest import Api, booking, token_for
from tests.integration.test_booking_routes import slots

DAY = working_day().isoformat()


@pytest.fixture
def boss() -> str:
    return token_for(Role.ADMIN, "Owner")


def test_settings_are_read_and_changed_and_slots_follow_at_once(api: Api, boss: str) -> None:
    assert api.get("/admin/settings", boss).body["settings"]["slotInterval"] == 30
    changed = api.put(
        "/admin/settings", {"slotInterval": 15, "bufferAfter": 15, "businessPhone": "021 5555 0199"}, boss
    )
    assert changed.status == 200, changed.body
    assert changed.body["settings"]["businessPhone"] == "+862155550199"
    offered = slots(api)
    assert offered[:3] == ["09:00", "09:15", "09:30"]  # a 45-min cut every 15 min, 15 min after each
    assert "11:15" in offered and "11:30" not in offered  # 11:15 + 45 + 15 buffer meets the break at 12:00


@pytest.mark.parametrize(
    "bad",
    [
        {"slotInterval": 7},
        {"slotInterval": "30"},
        {"timezone": "Mars/Olympus"},
        {"maxDaysAhead": 0},
        {"bufferBefore": 45, "bufferAfter": 45},
        {"currency": "XYZ"},
        {"businessPhone": "123"},
        {"colour": "red"},
        {"holdMinutes": True},
    ],
)
def test_bad_settings_are_400_and_change_nothing(api: Api, boss: str, bad: dict[str, object]) -> None:
    assert api.put("/admin/settings", bad, boss).status == 400
    assert api.get("/admin/settings", boss).body["settings"]["slotInterval"] == 30


def test_services_are_added_changed_and_retired_keeping_history(api: Api, boss: str, alice: str) -> None:
    made = api.post("/admin/services", {"name": "Beard trim", "duration": 20, "price": 48, "category": "Hair"}, boss)
    assert made.status == 201, made.body
    service = made.body["service"]
    assert (service["price"], service["currency"], service["requiresPayment"]) == (48.0, "CNY", False)
    service_id = service["id"]
    changed = api.put(f"/admin/services/{service_id}", {"price": 58.5, "requiresPayment": True}, boss)
    assert changed.body["service"]["price"] == 58.5
    assert api.put("/admin/staff/staff-li", {"serviceIds": ["svc-cut", service_id]}, boss).status == 200
    assert api.get(f"/appointments/services/{service_id}/staff").body["staff"][0]["id"] == "staff-li"
    booked = api.post("/appointments/book", booking(serviceId=service_id, totalAmount=58.5), alice)
    assert booked.status == 201 and booked.body["appointment"]["status"] == "pending"
    assert api.call("DELETE", f"/admin/services/{service_id}", token=boss).status == 200
    assert service_id not in [s["id"] for s in api.get("/appointments/services").body["services"]]
    appointment_id = booked.body["appointment"]["id"]
    assert api.get(f"/appointments/{appointment_id}", alice).body["appointment"]["serviceName"] == "Beard trim"


def test_bad_services_are_400(api: Api, boss: str) -> None:
    for bad in (
        {"name": "X", "duration": 7, "price": 1},
        {"name": "X", "duration": 725, "price": 1},
        {"name": "X", "duration": 30, "price": -1},
        {"name": "X", "duration": 30},
        {"name": "", "duration": 30, "price": 1},
        {"name": "X", "duration": "30", "price": 1},
    ):
        assert api.post("/admin/services", bad, boss).status == 400, bad
    assert api.put("/admin/services/nope", {"price": 1}, boss).status == 404


def test_staff_are_added_and_retirement_reports_their_future_appointments(api: Api, boss: str, alice: str) -> None:
    made = api.post("/admin/staff", {"name": "Zhao Lin", "title": "Junior", "serviceIds": ["svc-cut"]}, boss)
    assert made.status == 201, made.body
    assert made.body["staff"]["serviceIds"] == ["svc-cut"]
    assert api.post("/admin/staff", {"name": "Ghost", "serviceIds": ["svc-nope"]}, boss).status == 400
    booked = api.post("/appointments/book", booking(), alice).body["appointment"]
    retired = api.call("DELETE", "/admin/staff/staff-li", token=boss)
    assert [a["id"] for a in retired.body["futureAppointments"]] == [booked["id"]]
    assert "staff-li" not in [m["id"] for m in api.get("/appointments/services/svc-cut/staff").body["staff"]]


def test_only_admins_manage_settings_and_the_catalogue(api: Api, alice: str, staff: str) -> None:
    for token in (alice, staff):
        assert api.get("/admin/settings", token).status == 403
        assert api.put("/admin/settings", {"slotInterval": 15}, token).status == 403
        assert api.post("/admin/services", {"name": "X", "duration": 30, "price": 1}, token).status == 403
        assert api.call("DELETE", "/admin/staff/staff-li", token=token).status == 403


def test_the_longest_service_allowed_still_reschedules_in_one_transaction(api: Api, boss: str, alice: str) -> None:
    """The days it frees and takes, the appointment, its audit, profile, idempotency claim and notices."""
    assert api.put("/admin/settings", {"bufferBefore": 0, "bufferAfter": 20}, boss).status == 200
    made = api.post("/admin/services", {"name": "Full colour", "duration": 180, "price": 600}, boss)
    assert made.status == 201, made.body
    service_id = made.body["service"]["id"]
    assert api.put("/admin/staff/staff-li", {"serviceIds": ["svc-cut", service_id]}, boss).status == 200
    preferences = {"preferences": {"reminderTimes": ["7d", "24h", "2h"]}}
    assert api.put("/customers/me/notification-preferences", preferences, alice).status == 200
    booked = api.post("/appointments/book", booking(serviceId=service_id, time="13:00", totalAmount=600), alice)
    assert booked.status == 201, booked.body
    later = {"date": working_day(5).isoformat(), "timeSlot": "13:00"}
    key = {"Idempotency-Key": "move-the-long-one"}
    moved = api.put(f"/appointments/{booked.body['appointment']['id']}/reschedule", later, alice, headers=key)
    assert moved.status == 200, moved.body
    assert moved.body["appointment"]["date"] == later["date"]


def test_the_longest_service_with_the_widest_buffers_is_allowed_and_nothing_longer(api: Api, boss: str) -> None:
    """Its transaction holds calendar days, not granules: 12 hours and 60 minutes of buffers fit as 30 minutes do."""
    assert api.put("/admin/settings", {"bufferBefore": 30, "bufferAfter": 30}, boss).status == 200
    assert api.post("/admin/services", {"name": "Marathon", "duration": 720, "price": 1}, boss).status == 201
    refused = api.post("/admin/services", {"name": "Longer", "duration": 725, "price": 1}, boss)
    assert refused.status == 400 and refused.body["error"]["fields"] == {"duration": "too long"}
    widened = api.put("/admin/settings", {"bufferBefore": 35, "bufferAfter": 30}, boss)
    assert widened.status == 400 and widened.body["error"]["fields"] == {"bufferAfter": "too long"}
    assert api.get("/admin/settings", boss).body["settings"]["bufferBefore"] == 30


def test_a_staff_member_with_a_retired_service_can_still_be_changed_but_not_given_one(api: Api, boss: str) -> None:
    """Retiring a service leaves it in its performers' lists (it is booked by nobody); changing their weight must not
    be refused for it, while giving someone a retired service is."""
    made = api.post("/admin/services", {"name": "Old perm", "duration": 60, "price": 300}, boss).body["service"]
    assert api.put("/admin/staff/staff-wang", {"serviceIds": ["svc-cut", made["id"]]}, boss).status == 200
    assert api.call("DELETE", f"/admin/services/{made['id']}", token=boss).status == 200
    assert api.put("/admin/staff/staff-wang", {"weight": 150}, boss).status == 200
    refused = api.put("/admin/staff/staff-li", {"serviceIds": ["svc-cut", made["id"]]}, boss)
    assert refused.status == 400 and refused.body["error"]["fields"] == {"serviceIds": "unknown service"}
