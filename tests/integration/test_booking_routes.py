from __future__ import annotations

from typing import Any

from tests.conftest import working_day
from tests.dynamodb_calls import count_dynamodb_calls
from tests.integration.conftest import Api, booking

DAY = working_day().isoformat()


def slots(api: Api, service: str = "svc-cut", staff_id: str = "staff-li", day: str = DAY) -> list[str]:
    answer = api.get(f"/appointments/availability/slots?serviceId={service}&staffId={staff_id}&date={day}")
    assert answer.status == 200, answer.body
    return [s["start"] for s in answer.body["slots"]]


def error_code(body: Any) -> str:
    assert body["success"] is False
    return str(body["error"]["code"])


def test_the_catalogue_lists_services_with_their_fields_and_who_performs_them(api: Api) -> None:
    services = api.get("/appointments/services").body["services"]
    assert {s["duration"] for s in services} == {30, 45, 60, 90}
    colour = next(s for s in services if s["id"] == "svc-colour")
    assert colour == {
        "id": "svc-colour",
        "name": "Full colour",
        "description": "Colour with a toner; paid when booking.",
        "duration": 90,
        "price": 399.0,
        "currency": "CNY",
        "requiresPayment": True,
        "category": "Hair",
        "segments": [],  # no processing time: the staff member is busy throughout
        "bufferBefore": None,  # the business's buffers
        "bufferAfter": None,
        "needs": [],  # no room or equipment besides the staff member
        "locationIds": [],  # offered at every location
        "deposit": None,  # when a deposit is asked: the business's share of the price
    }
    staff = api.get("/appointments/services/svc-scalp/staff").body["staff"]
    assert [m["id"] for m in staff] == ["staff-chen", "staff-li"]
    assert set(staff[0]) == {"id", "name", "title", "avatarUrl"}
    assert api.get("/appointments/services/nope/staff").status == 404


def test_a_free_service_is_booked_confirmed_at_the_servers_price(api: Api, alice: str) -> None:
    answer = api.post("/appointments/book", booking(time={"start": "10:00", "end": "10:45", "duration": 45}), alice)
    assert answer.status == 201, answer.body
    appointment = answer.body["appointment"]
    assert answer.body["success"] is True
    assert appointment["status"] == "confirmed" and appointment["paymentStatus"] == "not_required"
    assert (appointment["date"], appointment["timeSlot"], appointment["endTime"]) == (DAY, "10:00", "10:45")
    assert (appointment["totalAmount"], appointment["currency"], appointment["duration"]) == (88.0, "CNY", 45)
    assert appointment["customerInfo"]["phone"] == "+8613800138000"
    assert appointment["businessPhone"] == "+862155550100"
    assert appointment["scheduledAt"] == f"{DAY}T10:00:00+08:00"
    assert "10:00" not in slots(api)


def test_a_paid_service_is_a_pending_hold_that_takes_its_time(api: Api, alice: str) -> None:
    answer = api.post("/appointments/book", booking("svc-colour", time="13:00"), alice)
    assert answer.status == 201, answer.body
    appointment = answer.body["appointment"]
    assert (appointment["status"], appointment["paymentStatus"]) == ("pending", "awaiting_payment")
    assert appointment["holdExpiresAt"] is not None
    assert "13:00" not in slots(api, "svc-colour") and "14:00" not in slots(api)


def test_overlapping_bookings_of_different_durations_collide(api: Api, alice: str, bob: str) -> None:
    assert api.post("/appointments/book", booking("svc-scalp", time="10:00"), alice).status == 201
    answer = api.post("/appointments/book", booking("svc-cut", time="10:30"), bob)
    assert answer.status == 409 and error_code(answer.body) == "SLOT_TAKEN"
    assert api.post("/appointments/book", booking("svc-cut", staff_id="staff-wang", time="10:30"), bob).status == 201


def test_times_that_are_not_offered_are_refused(api: Api, alice: str) -> None:
    for time in ("12:00", "10:15", "17:30", "07:00"):
        answer = api.post("/appointments/book", booking(time=time), alice)
        assert answer.status == 400 and error_code(answer.body) == "TIME_NOT_OFFERED", time
    sunday = working_day()
    while sunday.weekday() != 6:
        sunday = sunday.fromordinal(sunday.toordinal() + 1)
    assert (
        error_code(api.post("/appointments/book", booking(date=sunday.isoformat()), alice).body) == "TIME_NOT_OFFERED"
    )
    assert error_code(api.post("/appointments/book", booking(date="2020-01-06"), alice).body) == "TIME_NOT_OFFERED"


def test_a_client_amount_that_differs_from_the_price_is_refused(api: Api, alice: str) -> None:
    answer = api.post("/appointments/book", booking(totalAmount=1), alice)
    assert answer.status == 400 and error_code(answer.body) == "AMOUNT_MISMATCH"
    assert "10:00" in slots(api)


def test_bad_input_gets_a_clear_400_naming_the_field_and_books_nothing(api: Api, alice: str) -> None:
    cases: list[tuple[dict[str, Any], str]] = [
        (booking(customerInfo={"name": "", "phone": "13800138000"}), "name"),
        (booking(customerInfo={"name": "A", "phone": "12345"}), "customerInfo.phone"),
        (booking(customerInfo={"name": "A", "phone": "13800138000", "email": "nope"}), "customerInfo.email"),
        (booking(customerInfo={"name": "A", "phone": "13800138000", "notes": "x" * 501}), "notes"),
        (booking(customerInfo="Alice"), "customerInfo"),
        (booking(date="2026-02-30"), "date"),
        (booking(date=20261201), "date"),
        (booking(time="25:00"), "timeSlot"),
        (booking(time={"end": "10:00"}), "timeSlot"),
        (booking(serviceId=7), "serviceId"),
        (booking(totalAmount="lots"), "amount"),
    ]
    for body, field in cases:
        answer = api.post("/appointments/book", body, alice)
        assert answer.status == 400, (field, answer.body)
        assert field in answer.body["error"]["fields"], (field, answer.body)
        assert answer.body["error"]["message"]
    for raw in ("{bad json", "[1, 2]", '"text"'):
        answer = api.post("/appointments/book", token=alice, raw=raw)
        assert answer.status == 400 and error_code(answer.body) == "INVALID_INPUT"
    assert api.post("/appointments/book", booking(serviceId="nope"), alice).status == 404
    assert api.post("/appointments/book", booking(staffId="staff-chen"), alice).status == 400  # does not cut hair
    assert api.get("/appointments/mine", alice).body["appointments"] == []


def test_availability_queries_validate_their_parameters(api: Api) -> None:
    base = "/appointments/availability"
    assert api.get(f"{base}/slots?serviceId=svc-cut&staffId=staff-li&date=tomorrow").status == 400
    assert (
        api.get(f"{base}/slots?serviceId=svc-cut&date={DAY}").body
        == api.get(  # no staffId: any staff
            f"{base}/slots?serviceId=svc-cut&staffId=any&date={DAY}"
        ).body
    )
    assert api.get(f"{base}/slots?serviceId=ghost&date={DAY}").status == 404
    assert api.get(f"{base}/dates?serviceId=svc-cut&staffId=staff-li&days=91").status == 400
    assert api.get(f"{base}/dates?serviceId=svc-cut&staffId=staff-li&days=x").status == 400
    assert api.get(f"{base}/dates?serviceId=svc-cut&staffId=ghost").status == 404


def test_dates_list_only_bookable_days_in_order_with_their_slot_counts(api: Api) -> None:
    dates = api.get("/appointments/availability/dates?serviceId=svc-cut&staffId=staff-li&days=14").body["dates"]
    days = [d["date"] for d in dates]
    assert days == sorted(days) and len(days) >= 10  # 14 days minus Sundays, maybe minus today
    assert all(d["slotCount"] > 0 for d in dates)
    full_day = next(d for d in dates if d["date"] == DAY)
    assert full_day["slotCount"] == len(slots(api)) == 14


def test_availability_takes_two_dynamodb_calls_whatever_the_number_of_days(api: Api, alice: str) -> None:
    api.post("/appointments/book", booking(), alice)
    for days in (1, 30, 90):
        with count_dynamodb_calls() as calls:
            assert (
                api.get(f"/appointments/availability/dates?serviceId=svc-cut&staffId=staff-li&days={days}").status
                == 200
            )
        assert sum(calls.values()) <= 2 and calls["Scan"] == 0, (days, calls)
    with count_dynamodb_calls() as calls:
        slots(api)
    assert calls == {"Query": 2}


def test_booking_takes_three_reads_one_transaction_and_one_update(api: Api, alice: str) -> None:
    with count_dynamodb_calls() as calls:
        assert api.post("/appointments/book", booking(), alice).status == 201
    # catalogue, the customer's appointments ahead (limits), preferences; the staff member's calendar day
    # (one BatchGetItem, strongly consistent); the booking with its time and schedule; the confirmation queued,
    # stamped and the schedule moved on to the first reminder in one update; the webhook subscriptions (a Query:
    # which events the booking writes with it)
    assert calls == {"Query": 3, "GetItem": 1, "BatchGetItem": 1, "TransactWriteItems": 1, "UpdateItem": 1}
