from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from tests.conftest import working_day
from tests.integration.conftest import Api, booking
from tests.integration.test_booking_routes import error_code

LATER = working_day(5).isoformat()


def test_a_retried_booking_returns_the_first_answer_and_books_once(api: Api, alice: str) -> None:
    key = {"Idempotency-Key": "tap-1"}
    first = api.post("/appointments/book", booking(), alice, headers=key)
    again = api.post("/appointments/book", booking(), alice, headers=key)
    assert first.status == again.status == 201
    assert again.body["appointment"]["id"] == first.body["appointment"]["id"]
    assert len(api.get("/appointments/mine", alice).body["appointments"]) == 1


def test_a_retry_still_gets_its_answer_after_the_appointment_changed(api: Api, alice: str) -> None:
    key = {"Idempotency-Key": "tap-2"}
    first = api.post("/appointments/book", booking(), alice, headers=key)
    api.put(f"/appointments/{first.body['appointment']['id']}/cancel", {}, alice)
    again = api.post("/appointments/book", booking(), alice, headers=key)
    assert again.status == 201 and again.body["appointment"]["id"] == first.body["appointment"]["id"]
    assert len(api.get("/appointments/mine", alice).body["appointments"]) == 1


def test_the_same_key_with_another_body_is_refused(api: Api, alice: str) -> None:
    key = {"Idempotency-Key": "tap-3"}
    api.post("/appointments/book", booking(), alice, headers=key)
    other = api.post("/appointments/book", booking(time="13:00"), alice, headers=key)
    assert other.status == 409 and error_code(other.body) == "IDEMPOTENCY_KEY_REUSED"


def test_keys_belong_to_their_caller(api: Api, alice: str, bob: str) -> None:
    key = {"Idempotency-Key": "same-key"}
    assert api.post("/appointments/book", booking(), alice, headers=key).status == 201
    bobs = api.post("/appointments/book", booking(time="13:00"), bob, headers=key)
    assert bobs.status == 201
    assert len(api.get("/appointments/mine", bob).body["appointments"]) == 1


def test_a_key_whose_first_attempt_failed_books_on_retry(api: Api, alice: str) -> None:
    key = {"Idempotency-Key": "tap-4"}
    assert api.post("/appointments/book", booking(totalAmount=1), alice, headers=key).status == 400
    assert api.post("/appointments/book", booking(), alice, headers=key).status == 201


def test_concurrent_retries_with_one_key_book_once(api: Api, alice: str) -> None:
    key = {"Idempotency-Key": "double-tap"}
    with ThreadPoolExecutor(4) as pool:
        answers = list(pool.map(lambda _: api.post("/appointments/book", booking(), alice, headers=key), range(4)))
    assert {a.status for a in answers} == {201}
    assert len({a.body["appointment"]["id"] for a in answers}) == 1
    assert len(api.get("/appointments/mine", alice).body["appointments"]) == 1


def test_a_retried_reschedule_moves_once(api: Api, alice: str) -> None:
    appointment_id = api.post("/appointments/book", booking(), alice).body["appointment"]["id"]
    key = {"Idempotency-Key": "move-1"}
    path = f"/appointments/{appointment_id}/reschedule"
    first = api.put(path, {"date": LATER, "timeSlot": "14:00"}, alice, headers=key)
    again = api.put(path, {"date": LATER, "timeSlot": "14:00"}, alice, headers=key)
    assert first.status == again.status == 200
    assert again.body["appointment"]["timeSlot"] == "14:00"
    assert api.put(path, {"date": LATER, "timeSlot": "15:00"}, alice, headers=key).status == 409


def test_an_unusable_key_is_400(api: Api, alice: str) -> None:
    assert api.post("/appointments/book", booking(), alice, headers={"Idempotency-Key": "x" * 256}).status == 400
