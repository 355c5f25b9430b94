from __future__ import annotations

from datetime import timedelta

from chalicelib.domain.actor import Actor, Role
from chalicelib.services import appointments
from chalicelib.store import Store
from tests.conftest import working_day
from tests.dynamodb_calls import count_dynamodb_calls
from tests.integration.conftest import Api, booking
from tests.integration.test_booking_routes import error_code, slots

DAY = working_day().isoformat()


def book(api: Api, token: str, **changes: object) -> str:
    answer = api.post("/appointments/book", booking(**changes), token)  # type: ignore[arg-type]
    assert answer.status == 201, answer.body
    return str(answer.body["appointment"]["id"])


def test_staff_confirm_a_pending_hold_and_it_keeps_its_time(api: Api, alice: str, staff: str) -> None:
    held = book(api, alice, serviceId="svc-colour", time="13:00", totalAmount=399)
    with count_dynamodb_calls() as calls:
        confirmed = api.put(f"/appointments/{held}/confirm", None, staff)
    assert confirmed.status == 200 and confirmed.body["appointment"]["status"] == "confirmed"
    assert confirmed.body["appointment"]["holdExpiresAt"] is None
    # read; the webhook subscriptions; confirm; confirmation relayed
    assert calls == {"Query": 2, "TransactWriteItems": 1, "UpdateItem": 1}
    assert confirmed.body["appointment"]["confirmationSentAt"] is not None
    assert "13:00" not in slots(api, "svc-colour")
    again = api.put(f"/appointments/{held}/confirm", None, staff)
    assert again.status == 409 and error_code(again.body) == "ILLEGAL_TRANSITION"


def complete_once_started(store: Store, appointment_id: str, minutes_in: int = 10) -> None:
    started = store.appointments.get(appointment_id).start + timedelta(minutes=minutes_in)
    appointments.move(store, Actor("staff-1", Role.STAFF), appointment_id, "complete", started)


def test_completing_early_frees_the_rest_of_the_time(api: Api, alice: str, staff: str, store: Store) -> None:
    done = book(api, alice)
    complete_once_started(store, done)
    assert store.appointments.get(done).status.value == "completed"
    assert "10:00" in slots(api)
    assert api.put(f"/appointments/{done}/cancel", {}, staff).status == 409
    assert api.put(f"/appointments/{done}/no-show", None, staff).status == 409


def test_an_appointment_can_be_completed_only_once_it_has_started(api: Api, alice: str, staff: str) -> None:
    ahead = book(api, alice)
    early = api.put(f"/appointments/{ahead}/complete", None, staff)
    assert early.status == 409 and error_code(early.body) == "ILLEGAL_TRANSITION"
    assert "10:00" not in slots(api)  # its time is still taken, and it is no revenue
    assert api.get(f"/appointments/{ahead}", staff).body["appointment"]["status"] == "confirmed"


def test_a_no_show_can_be_marked_only_once_the_appointment_has_started(
    api: Api, alice: str, staff: str, store: Store
) -> None:
    appointment_id = book(api, alice)
    early = api.put(f"/appointments/{appointment_id}/no-show", None, staff)
    assert early.status == 409 and error_code(early.body) == "ILLEGAL_TRANSITION"
    started = store.appointments.get(appointment_id).start + timedelta(minutes=20)
    marked = appointments.move(store, Actor("staff-1", Role.STAFF), appointment_id, "no-show", started)
    assert marked.status.value == "no-show"


def test_every_change_is_recorded_with_who_when_from_to_and_why(api: Api, alice: str, staff: str) -> None:
    appointment_id = book(api, alice)
    api.put(f"/appointments/{appointment_id}/reschedule", {"date": DAY, "timeSlot": "14:00"}, alice)
    api.put(f"/appointments/{appointment_id}/cancel", {"reason": "Staff ill"}, staff)
    history = api.get(f"/appointments/{appointment_id}/history", staff).body["history"]
    assert [(h["action"], h["from"], h["to"], h["by"]["role"]) for h in history] == [
        ("book", None, "confirmed", "customer"),
        ("reschedule", "confirmed", "confirmed", "customer"),
        ("cancel", "confirmed", "cancelled", "staff"),
    ]
    assert history[1]["detail"] == f"{DAY} 10:00 staff-li -> {DAY} 14:00 staff-li"
    assert history[2]["reason"] == "Staff ill"
    assert api.get(f"/appointments/{appointment_id}/history", alice).status == 403


def test_an_appointment_that_does_not_exist_is_404_for_staff_moves(api: Api, staff: str) -> None:
    for action in ("confirm", "complete", "no-show"):
        assert api.put(f"/appointments/nope/{action}", None, staff).status == 404
