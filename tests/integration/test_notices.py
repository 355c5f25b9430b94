from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import time_machine

import app
from chalicelib.domain.actor import Actor, Role
from chalicelib.services import appointments
from chalicelib.store import Store
from chalicelib.store.models import DeliveryItem, TextCountItem
from scripts.worker import scheduled_event
from tests.conftest import now, working_day
from tests.integration.conftest import Api, booking
from tests.integration.notices_helpers import bodies, event, receive_all, sent
from tests.integration.test_booking_routes import error_code

DAY = working_day().isoformat()


def book(api: Api, token: str, **changes: Any) -> dict[str, Any]:
    answer = api.post("/appointments/book", booking(**changes), token)
    assert answer.status == 201, answer.body
    return dict(answer.body["appointment"])


def tick() -> dict[str, Any]:
    """The event EventBridge hands a scheduled Lambda, stamped with the (travelled) clock."""
    return scheduled_event(datetime.now(UTC))


def deliver(messages: list[dict[str, Any]]) -> dict[str, Any]:
    return dict(app.deliver_notices(event(messages), None))


def test_a_booking_queues_its_confirmation_and_the_consumer_texts_it_once(api: Api, alice: str) -> None:
    appointment = book(api, alice)
    assert appointment["confirmationSentAt"] is not None
    messages = receive_all()
    assert [(b["kind"], b["appointmentId"]) for b in bodies(messages)] == [("confirmation", appointment["id"])]
    assert deliver(messages) == {"batchItemFailures": []}
    deliver(messages)  # SQS delivers at least once: the same message again
    texts = [m["message"] for m in sent()["sms"]]
    assert len(texts) == 1 and "Haircut" in texts[0] and f"{DAY} 10:00" in texts[0] and "UTC+0800" in texts[0]
    assert sent()["email"] == []  # email is off unless the customer turns it on


def test_a_channel_that_cannot_reach_the_customer_claims_no_delivery(api: Api, alice: str) -> None:
    """Push is on by default, but a customer without a WeChat openid has nothing to receive it on. The text's
    claim is the customer's count for the day, which names the message: no delivery item for either."""
    appointment = book(api, alice)
    messages = receive_all()
    deliver(messages)
    deliver(messages)  # redelivered: counted once
    message = f"{appointment['id']}:confirmation"
    assert list(DeliveryItem.query(f"MSG#{message}")) == []
    today = datetime.now(ZoneInfo("Asia/Shanghai")).date()  # the demo business's day
    counts = {i.sk.split("#")[1]: i for i in TextCountItem.query(f"SENT#{today.isoformat()}")}
    assert counts["CUSTOMER"].messages == {message} and counts["CUSTOMER"].sent == 1 and counts["TO"].sent == 1


def test_one_bad_message_fails_alone_and_its_neighbours_are_sent(api: Api, alice: str) -> None:
    book(api, alice)
    good = receive_all()
    bad = {**good[0], "MessageId": "bad-1", "Body": '{"kind": "telegram", "id": "x", "appointmentId": "y"}'}
    answer = deliver([bad, *good])
    assert answer == {"batchItemFailures": [{"itemIdentifier": "bad-1"}]}
    assert len(sent()["sms"]) == 1


def test_preferences_choose_channels_and_language(api: Api, alice: str) -> None:
    assert api.get("/customers/me/notification-preferences", alice).body == {
        "preferences": {"sms": True, "email": False, "push": True, "reminderTimes": ["24h", "2h"], "locale": "zh-CN"}
    }
    changed = api.put(
        "/customers/me/notification-preferences",
        {"preferences": {"sms": False, "email": True, "locale": "en", "reminderTimes": ["1h"]}},
        alice,
    )
    assert changed.status == 200, changed.body
    book(api, alice)
    deliver(receive_all())
    assert sent()["sms"] == []
    email = sent()["email"][0]
    assert email["subject"] == "Booking confirmed" and "alice@example.com" in str(email["destinations"])
    assert "Your Haircut with Li Na is confirmed" in email["body"]


def test_preferences_are_validated_and_private(api: Api, alice: str, bob: str, staff: str) -> None:
    for bad in (
        {"sms": "yes"},
        {"reminderTimes": ["soon"]},
        {"reminderTimes": ["1h", "2h", "3h", "4h"]},
        {"locale": "fr"},
    ):
        assert api.put("/customers/me/notification-preferences", {"preferences": bad}, alice).status == 400, bad
    assert api.put("/customers/me/notification-preferences", {}, alice).status == 400
    alice_id = book(api, alice)["customerId"]
    assert api.get(f"/customers/{alice_id}/notification-preferences", bob).status == 404
    assert api.get(f"/customers/{alice_id}/notification-preferences", staff).status == 200


def test_cancel_and_reschedule_send_theirs_and_the_seeds_explicit_calls_send_nothing_twice(
    api: Api, alice: str
) -> None:
    appointment = book(api, alice)
    path = f"/appointments/{appointment['id']}"
    assert api.put(f"{path}/reschedule", {"date": DAY, "timeSlot": "14:00"}, alice).status == 200
    explicit = api.post(f"{path}/notifications/reschedule", {"newDateTime": f"{DAY} 14:00"}, alice)
    assert explicit.status == 202 and explicit.body["success"] is True
    api.put(f"{path}/cancel", {"reason": "Customer cancellation"}, alice)
    assert api.post(f"{path}/notifications/cancellation", {"reason": "Customer cancellation"}, alice).status == 202
    closed = api.post(f"{path}/notifications/confirmation", None, alice)
    assert closed.status == 409 and error_code(closed.body) == "APPOINTMENT_CLOSED"
    assert api.post(f"{path}/notifications/reminder", {"type": "2h"}, alice).status == 409
    messages = receive_all()
    assert sorted(b["kind"] for b in bodies(messages)) == [
        "cancellation",
        "cancellation",
        "confirmation",
        "reschedule",
        "reschedule",
    ]
    deliver(messages)
    kinds = [m["message"] for m in sent()["sms"]]
    assert len(kinds) == 2  # one reschedule, one cancellation; a confirmation is never sent once cancelled
    assert any("已改至" in k and "14:00" in k for k in kinds) and any("已取消" in k for k in kinds)


def test_explicit_notices_belong_to_the_customer_or_staff(api: Api, alice: str, bob: str, staff: str) -> None:
    path = f"/appointments/{book(api, alice)['id']}"
    assert api.post(f"{path}/notifications/confirmation", None, bob).status == 404
    assert api.post(f"{path}/notifications/confirmation", None, staff).status == 202
    assert api.post(f"{path}/notifications/reminder", {"type": "soon"}, alice).status == 400
    assert api.post(f"{path}/notifications/confirmation").status == 401


def test_no_cancellation_or_move_is_announced_before_it_happened(api: Api, alice: str) -> None:
    path = f"/appointments/{book(api, alice)['id']}"
    receive_all()
    for kind, body in (("cancellation", {"reason": "x"}), ("reschedule", {"newDateTime": f"{DAY} 14:00"})):
        early = api.post(f"{path}/notifications/{kind}", body, alice)
        assert early.status == 409 and error_code(early.body) == "ILLEGAL_TRANSITION", kind
    assert receive_all() == []
    moved = api.put(f"{path}/reschedule", {"date": DAY, "timeSlot": "14:00"}, alice).body["appointment"]
    assert moved["rescheduledAt"] is not None
    assert api.post(f"{path}/notifications/reschedule", {"newDateTime": f"{DAY} 14:00"}, alice).status == 202


def test_reminders_fall_due_once_at_their_time_and_move_with_a_reschedule(api: Api, alice: str, store: Store) -> None:
    appointment = book(api, alice)
    receive_all()  # the confirmation
    start = store.appointments.get(appointment["id"]).start
    with time_machine.travel(start - timedelta(hours=24, minutes=1), tick=False):
        app.sweep_notices(tick(), None)
    assert receive_all() == []
    with time_machine.travel(start - timedelta(hours=23, minutes=59), tick=False):
        app.sweep_notices(tick(), None)
        app.sweep_notices(tick(), None)  # a second run, or two at once, queue nothing more
        due = receive_all()
        assert [(b["kind"], b["offset"]) for b in bodies(due)] == [("reminder", "24h")]
        deliver(due)
    assert store.appointments.get(appointment["id"]).reminder_sent_at is not None
    assert "提醒" in sent()["sms"][-1]["message"]
    later = working_day(6).isoformat()
    api.put(f"/appointments/{appointment['id']}/reschedule", {"date": later, "timeSlot": "10:00"}, alice)
    with time_machine.travel(start - timedelta(hours=1, minutes=59), tick=False):
        app.sweep_notices(tick(), None)  # the old 2h reminder moved with the appointment
    assert [b["kind"] for b in bodies(receive_all())] == ["reschedule"]


def test_no_reminder_for_a_cancelled_appointment_or_one_whose_time_had_passed(
    api: Api, alice: str, store: Store
) -> None:
    appointment = book(api, alice)
    api.put(f"/appointments/{appointment['id']}/cancel", {}, alice)
    start = store.appointments.get(appointment["id"]).start
    receive_all()
    with time_machine.travel(start - timedelta(minutes=30), tick=False):
        app.sweep_notices(tick(), None)
    assert receive_all() == []
    soon = appointments.schedule_reminders(
        store, Actor("s", Role.STAFF), book(api, alice, time="13:00")["id"], ("7d", "30m"), now()
    )
    assert soon.reminder_offsets == ("7d", "30m")
    due = api.post(f"/appointments/{soon.id}/reminders/schedule", {"reminderTimes": ["7d", "30m"]}, alice).body
    assert [s["type"] for s in due["scheduled"]] == ["30m"]  # 7 days before it has already passed


def test_the_no_show_job_marks_once_and_tells_the_business(api: Api, alice: str, store: Store) -> None:
    appointment = book(api, alice)
    receive_all()
    end = store.appointments.get(appointment["id"]).end
    with time_machine.travel(end + timedelta(minutes=14), tick=False):
        app.mark_no_shows(tick(), None)
    assert store.appointments.get(appointment["id"]).status.value == "confirmed"  # still inside the grace
    with time_machine.travel(end + timedelta(minutes=16), tick=False):
        app.mark_no_shows(tick(), None)
        app.mark_no_shows(tick(), None)
        notices = receive_all()
        deliver(notices)
    assert store.appointments.get(appointment["id"]).status.value == "no-show"
    assert [b["kind"] for b in bodies(notices)] == ["no-show"]
    business = [m for m in sent()["sms"] if m["phone_number"] == "+8613900139000"]
    assert len(business) == 1 and "Alice Wong" in business[0]["message"]
    assert [
        h["action"] for h in api.get(f"/appointments/{appointment['id']}/history", alice).body.get("history", [])
    ] == []
