from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from chalicelib.domain.errors import CancellationWindowClosed
from chalicelib.services import moving
from chalicelib.store import Store
from tests.conftest import now, working_day
from tests.dynamodb_calls import count_dynamodb_calls
from tests.integration.conftest import Api, booking
from tests.integration.test_booking_routes import error_code, slots

DAY = working_day().isoformat()
LATER = working_day(5).isoformat()


def book(api: Api, token: str, **changes: Any) -> str:
    answer = api.post("/appointments/book", booking(**changes), token)
    assert answer.status == 201, answer.body
    return str(answer.body["appointment"]["id"])


def test_a_customer_reads_their_appointment_and_nobody_elses(api: Api, alice: str, bob: str, staff: str) -> None:
    appointment_id = book(api, alice)
    with count_dynamodb_calls() as calls:
        mine = api.get(f"/appointments/{appointment_id}", alice)
    assert mine.status == 200 and mine.body["appointment"]["id"] == appointment_id
    # the appointment and its sent stamps, one partition; the settings, for what cancelling now would cost
    assert calls == {"Query": 1, "GetItem": 1}
    assert mine.body["cancellation"]["online"] is True and mine.body["cancellation"]["fee"] == 0
    assert api.get(f"/appointments/{appointment_id}", bob).status == 404
    assert api.get(f"/appointments/{appointment_id}", staff).status == 200
    assert api.get(f"/appointments/{appointment_id}").status == 401
    assert api.get("/appointments/does-not-exist", alice).status == 404


def test_my_appointments_are_mine_only_newest_first_and_paginated(api: Api, alice: str, bob: str) -> None:
    for time in ("09:00", "10:00", "11:00"):
        book(api, alice, time=time)
    book(api, bob, time="13:00")
    first = api.get("/appointments/mine", alice)
    assert [a["timeSlot"] for a in first.body["appointments"]] == ["11:00", "10:00", "09:00"]
    assert "nextCursor" not in first.body
    assert [a["timeSlot"] for a in api.get("/appointments/mine", bob).body["appointments"]] == ["13:00"]
    assert api.get("/appointments/mine?scope=upcoming", alice).body["appointments"][0]["timeSlot"] == "09:00"
    assert api.get("/appointments/mine?scope=cancelled", alice).body["appointments"] == []
    assert api.get("/appointments/mine?scope=everything", alice).status == 400


def test_pages_follow_the_cursor_and_a_cursor_cannot_open_another_customers_list(
    api: Api, alice: str, bob: str, store: Store
) -> None:
    for time in ("09:00", "10:00", "11:00"):
        book(api, alice, time=time)
    customer_id = api.get("/appointments/mine", alice).body["appointments"][0]["customerId"]
    first = store.appointments.of_customer(customer_id, "all", None, 2, now())  # the route pages by 20
    assert len(first.appointments) == 2 and first.next_cursor
    rest = api.get(f"/appointments/mine?cursor={first.next_cursor}", alice).body
    assert [a["timeSlot"] for a in rest["appointments"]] == ["09:00"]
    stolen = api.get(f"/appointments/mine?cursor={first.next_cursor}", bob)
    assert stolen.status == 400 and error_code(stolen.body) == "INVALID_INPUT"
    assert api.get("/appointments/mine?cursor=%%%garbage", alice).status == 400


def test_cancel_frees_the_time_in_the_same_write(api: Api, alice: str) -> None:
    appointment_id = book(api, alice)
    assert "10:00" not in slots(api)
    with count_dynamodb_calls() as calls:
        answer = api.put(f"/appointments/{appointment_id}/cancel", {"reason": "Customer cancellation"}, alice)
    assert answer.status == 200 and answer.body["success"] is True
    assert answer.body["appointment"]["status"] == "cancelled"
    assert answer.body["appointment"]["cancelledReason"] == "Customer cancellation"
    # the calendar day read (strongly consistent) for the one write that frees it; then its notice relayed (queued,
    # and deleted from the outbox on condition that it is the one written)
    # (a Query of the webhook subscriptions: which events the change writes with it)
    assert calls == {"Query": 3, "BatchGetItem": 1, "TransactWriteItems": 1, "DeleteItem": 1}
    assert "10:00" in slots(api)
    again = api.put(f"/appointments/{appointment_id}/cancel", {}, alice)
    assert again.status == 409 and error_code(again.body) == "ILLEGAL_TRANSITION"


def test_another_customer_cannot_cancel_or_reschedule(api: Api, alice: str, bob: str) -> None:
    appointment_id = book(api, alice)
    assert api.put(f"/appointments/{appointment_id}/cancel", {}, bob).status == 404
    assert (
        api.put(f"/appointments/{appointment_id}/reschedule", {"date": LATER, "timeSlot": "10:00"}, bob).status == 404
    )
    assert api.get(f"/appointments/{appointment_id}/calendar.ics", bob).status == 404
    assert api.get(f"/appointments/{appointment_id}", alice).body["appointment"]["status"] == "confirmed"


def test_customers_cannot_cancel_or_move_inside_the_cutoff_but_staff_can(api: Api, alice: str, store: Store) -> None:
    from chalicelib.domain.actor import Actor, Role
    from chalicelib.services import appointments

    appointment_id = book(api, alice)
    appointment = store.appointments.get(appointment_id)
    customer = Actor(appointment.customer_id, Role.CUSTOMER)
    an_hour_inside = appointment.start - timedelta(hours=23)
    with pytest.raises(CancellationWindowClosed):
        appointments.cancel(store, customer, appointment_id, "late", an_hour_inside)
    with pytest.raises(CancellationWindowClosed):
        moving.reschedule(store, customer, appointment_id, working_day(5), 600, None, an_hour_inside)
    cancelled = appointments.cancel(store, Actor("staff-1", Role.STAFF), appointment_id, "Staff ill", an_hour_inside)
    assert cancelled.status.value == "cancelled" and cancelled.cancelled_by == "staff"


def test_reschedule_moves_the_booking_and_frees_the_old_time_atomically(api: Api, alice: str, bob: str) -> None:
    appointment_id = book(api, alice)
    with count_dynamodb_calls() as calls:
        moved = api.put(
            f"/appointments/{appointment_id}/reschedule",
            {"date": LATER, "timeSlot": {"start": "14:00"}, "staffId": "staff-wang"},
            alice,
        )
    assert moved.status == 200, moved.body
    appointment = moved.body["appointment"]
    assert (appointment["date"], appointment["timeSlot"], appointment["staffId"]) == (LATER, "14:00", "staff-wang")
    # both staff members' days read at once for the one write that moves the time; then its notice relayed
    # (a Query of the webhook subscriptions: which events the change writes with it)
    assert calls == {"Query": 3, "BatchGetItem": 1, "TransactWriteItems": 1, "DeleteItem": 1}
    assert "10:00" in slots(api)
    assert "14:00" not in slots(api, staff_id="staff-wang", day=LATER)
    assert book(api, bob)  # the old time is bookable again


def test_reschedule_onto_its_own_overlapping_time_works(api: Api, alice: str) -> None:
    appointment_id = book(api, alice, serviceId="svc-scalp", time="10:00", totalAmount=168)
    moved = api.put(f"/appointments/{appointment_id}/reschedule", {"date": DAY, "timeSlot": "10:30"}, alice)
    assert moved.status == 200, moved.body
    consult = slots(api, "svc-consult")
    assert "10:00" in consult and "11:30" in consult  # freed, and just after the new end
    assert "10:30" not in consult and "11:00" not in consult


def test_reschedule_onto_a_taken_or_unoffered_time_changes_nothing(api: Api, alice: str, bob: str) -> None:
    appointment_id = book(api, alice)
    book(api, bob, time="13:00")
    taken = api.put(f"/appointments/{appointment_id}/reschedule", {"date": DAY, "timeSlot": "13:00"}, alice)
    assert taken.status == 409 and error_code(taken.body) == "SLOT_TAKEN"
    closed = api.put(f"/appointments/{appointment_id}/reschedule", {"date": DAY, "timeSlot": "12:00"}, alice)
    assert closed.status == 400 and error_code(closed.body) == "TIME_NOT_OFFERED"
    assert api.put(f"/appointments/{appointment_id}/reschedule", {"date": "someday"}, alice).status == 400
    appointment = api.get(f"/appointments/{appointment_id}", alice).body["appointment"]
    assert (appointment["date"], appointment["timeSlot"]) == (DAY, "10:00")
    assert "10:00" not in slots(api)


def test_a_cancelled_appointment_cannot_be_rescheduled(api: Api, alice: str) -> None:
    appointment_id = book(api, alice)
    api.put(f"/appointments/{appointment_id}/cancel", {}, alice)
    answer = api.put(f"/appointments/{appointment_id}/reschedule", {"date": LATER, "timeSlot": "10:00"}, alice)
    assert answer.status == 409 and error_code(answer.body) == "ILLEGAL_TRANSITION"


def test_the_calendar_event_is_rfc_5545_with_the_right_times(api: Api, alice: str) -> None:
    from icalendar import Calendar

    appointment_id = book(api, alice)
    answer = api.get(f"/appointments/{appointment_id}/calendar.ics", alice)
    assert answer.status == 200
    event = Calendar.from_ical(answer.body).walk("VEVENT")[0]
    assert str(event["summary"]) == "Haircut with Li Na"
    assert event.decoded("dtstart").isoformat() == f"{DAY}T02:00:00+00:00"  # 10:00 in Shanghai
    assert (event.decoded("dtend") - event.decoded("dtstart")) == timedelta(minutes=45)
    assert str(event["status"]) == "CONFIRMED"


def test_staff_reschedule_inside_the_cutoff_without_a_cutoff(api: Api, alice: str, staff: str, store: Store) -> None:
    from chalicelib.domain.actor import Actor, Role

    appointment_id = book(api, alice)
    inside = store.appointments.get(appointment_id).start - timedelta(hours=2)
    moved = moving.reschedule(store, Actor("s", Role.STAFF), appointment_id, working_day(5), 600, None, inside)
    assert moved.local_start.date() == working_day(5)
    via_api = api.put(f"/appointments/{appointment_id}/reschedule", {"date": DAY, "timeSlot": "13:00"}, staff)
    assert via_api.status == 200 and via_api.body["appointment"]["timeSlot"] == "13:00"


def test_a_later_booking_without_an_email_keeps_the_one_given_before(api: Api, alice: str) -> None:
    first = api.post("/appointments/book", booking(time="10:00"), alice).body["appointment"]
    without = booking(time="14:00", customerInfo={"name": "Alice Wong", "phone": "13800138000"})
    assert api.post("/appointments/book", without, alice).status == 201
    profile = api.get(f"/customers/{first['customerId']}", alice).body["customer"]
    assert profile["email"] == "alice@example.com"
