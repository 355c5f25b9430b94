from __future__ import annotations

from typing import Any

from chalicelib.store import Store
from tests.conftest import working_day
from tests.dynamodb_calls import count_dynamodb_calls
from tests.integration.conftest import Api, booking
from tests.integration.test_booking_routes import error_code, slots
from tests.integration.test_front_desk import complete_once_started

DAY = working_day().isoformat()
LATER = working_day(5).isoformat()
WALK_IN = {"name": "Wu Min", "phone": "13900139000", "email": "wu@example.com"}


def arrange(api: Api, staff: str, **fields: Any) -> Any:
    body = {
        "customerInfo": WALK_IN,
        "staffId": "staff-wang",
        "serviceId": "svc-cut",
        "scheduledAt": f"{DAY}T11:00:00+08:00",
        "notes": "Phone booking",
        **fields,
    }
    return api.post("/appointments", body, staff)


def test_staff_create_a_pending_appointment_from_the_second_seeds_form(api: Api, staff: str) -> None:
    made = arrange(api, staff, duration=60)
    assert made.status == 201, made.body
    appointment = made.body["appointment"]
    assert (appointment["status"], appointment["date"], appointment["timeSlot"]) == ("pending", DAY, "11:00")
    assert (appointment["duration"], appointment["endTime"], appointment["staffId"]) == (60, "12:00", "staff-wang")
    assert appointment["customerInfo"]["phone"] == "+8613900139000"
    assert "11:00" not in slots(api, staff_id="staff-wang") and "10:30" not in slots(api, staff_id="staff-wang")
    taken = arrange(api, staff, scheduledAt=f"{DAY}T10:30")
    assert taken.status == 409 and error_code(taken.body) == "SLOT_TAKEN"


def test_staff_bookings_need_working_hours_and_valid_fields(api: Api, staff: str, alice: str) -> None:
    assert error_code(arrange(api, staff, scheduledAt=f"{DAY}T12:00").body) == "TIME_NOT_OFFERED"
    assert error_code(arrange(api, staff, scheduledAt=f"{DAY}T11:00", duration=90).body) == "TIME_NOT_OFFERED"
    for bad in (
        {"scheduledAt": "soon"},
        {"scheduledAt": f"{DAY}T11:03"},
        {"duration": 7},
        {"duration": "60"},
        {"customerInfo": {"name": "X", "phone": "1"}},
        {"customerInfo": None},
        {"serviceId": None},
    ):
        assert arrange(api, staff, **bad).status == 400, bad
    assert arrange(api, staff, customerInfo=None, customerId="nobody").status == 404
    assert arrange(api, alice).status == 403


def test_a_returning_customer_is_found_by_phone_or_name_and_booked_by_id(api: Api, staff: str) -> None:
    first = arrange(api, staff).body["appointment"]
    by_phone = api.get("/customers?phone=139%200013%209000", staff).body["customers"]
    assert [c["id"] for c in by_phone] == [first["customerId"]]
    assert [c["name"] for c in api.get("/customers?name=wu", staff).body["customers"]] == ["Wu Min"]
    assert api.get("/customers?name=zzz", staff).body["customers"] == []
    assert api.get("/customers", staff).status == 400
    again = arrange(api, staff, customerInfo=None, customerId=first["customerId"], scheduledAt=f"{LATER}T09:00")
    assert again.status == 201 and again.body["appointment"]["customerInfo"]["name"] == "Wu Min"


def test_a_profile_counts_visits_spend_and_no_shows(api: Api, staff: str, alice: str, store: Store) -> None:
    visit = api.post("/appointments/book", booking(), alice).body["appointment"]
    api.post("/appointments/book", booking(date=LATER), alice)
    complete_once_started(store, visit["id"])
    with count_dynamodb_calls() as calls:
        profile = api.get(f"/customers/{visit['customerId']}", staff)
    assert profile.status == 200, profile.body
    assert (profile.body["visits"], profile.body["spend"], profile.body["noShows"]) == (1, 88.0, 0)
    assert profile.body["upcoming"] == 1 and len(profile.body["history"]) == 2
    assert profile.body["customer"]["name"] == "Alice Wong"
    assert calls == {"GetItem": 1, "Query": 2, "BatchGetItem": 1}  # profile, catalogue, history; its sent stamps
    assert api.get("/customers/me", alice).body["customer"]["id"] == visit["customerId"]
    assert api.get(f"/customers/{visit['customerId']}", alice).status == 200


def test_a_customer_cannot_read_another_customers_profile_or_search(api: Api, alice: str, bob: str) -> None:
    visit = api.post("/appointments/book", booking(), alice).body["appointment"]
    assert api.get(f"/customers/{visit['customerId']}", bob).status == 404
    assert api.get("/customers?name=a", bob).status == 403


def test_scopes_list_what_the_second_seed_names(api: Api, staff: str, alice: str, store: Store) -> None:
    confirmed = api.post("/appointments/book", booking(), alice).body["appointment"]
    pending = arrange(api, staff).body["appointment"]
    done = api.post("/appointments/book", booking(time="13:00"), alice).body["appointment"]
    complete_once_started(store, done["id"])
    cancelled = api.post("/appointments/book", booking(time="15:00"), alice).body["appointment"]
    api.put(f"/appointments/{cancelled['id']}/cancel", {}, alice)

    def ids(query: str) -> list[str]:
        with count_dynamodb_calls() as calls:
            answer = api.get(f"/appointments?{query}", staff)
        assert answer.status == 200, answer.body
        assert calls["Query"] == 2 and calls["Scan"] == 0, calls  # the settings, then one page
        return [a["id"] for a in answer.body["appointments"]]

    assert ids("scope=pending") == [pending["id"]]
    assert ids("scope=confirmed") == [confirmed["id"]]
    assert ids("scope=completed") == [done["id"]]
    assert ids("scope=cancelled") == [cancelled["id"]]
    assert set(ids("scope=upcoming")) == {confirmed["id"], pending["id"]}
    assert ids("scope=upcoming&staffId=staff-wang") == [pending["id"]]
    assert set(ids(f"scope=all&date={DAY}")) == {confirmed["id"], pending["id"], done["id"], cancelled["id"]}
    assert ids(f"scope=confirmed&date={DAY}&staffId=staff-li") == [confirmed["id"]]
    assert ids("scope=today") == []  # nothing is booked for today
    assert api.get("/appointments?scope=later", staff).status == 400
    assert api.get("/appointments?scope=upcoming", alice).status == 403


def test_lists_page_with_an_opaque_cursor(api: Api, staff: str, alice: str, store: Any) -> None:
    from chalicelib.domain.scopes import scope
    from tests.conftest import SHANGHAI, now

    for time in ("09:00", "10:00", "11:00"):
        api.post("/appointments/book", booking(time=time), alice)
    first = store.appointments.scoped(scope("confirmed", now(), SHANGHAI), None, None, 2)
    assert len(first.appointments) == 2 and first.next_cursor
    rest = api.get(f"/appointments?scope=confirmed&cursor={first.next_cursor}", staff).body
    assert [a["timeSlot"] for a in rest["appointments"]] == ["11:00"]
    assert api.get(f"/appointments?scope=completed&cursor={first.next_cursor}", staff).status == 400
