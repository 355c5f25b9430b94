"""Notices on the running stack, as `make run` starts it: the worker delivers them with nobody calling an endpoint.

What SNS and SES "sent" is read from moto's own record (the same one `scripts/outbox.py` prints).
Waiting here is polling for an observable outcome with a deadline, never a fixed sleep.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from itertools import count
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from scripts import outbox
from tests.conftest import working_day
from tests.e2e.conftest import Stack, run_seed
from tests.e2e.http import call, sign_in

pytestmark = pytest.mark.e2e
SHANGHAI = ZoneInfo("Asia/Shanghai")
_phones = count(1)


def fresh_phone() -> str:
    """A mainland mobile number no other test uses, so its messages are this test's alone."""
    return f"1390000{next(_phones):04d}"


def texts_to(stack: Stack, phone: str) -> list[str]:
    return [str(m["message"]) for m in outbox.sent(stack.aws)["sms"] if str(m.get("phone_number", "")).endswith(phone)]


def emails_to(stack: Stack, address: str) -> list[str]:
    return [str(m.get("subject")) for m in outbox.sent(stack.aws)["email"] if address in str(m.get("destinations"))]


def wait_until(done: Callable[[], bool], seconds: float, what: str) -> float:
    """Seconds until `done()` held, checked every 0.2 s; fails after `seconds`."""
    started = time.monotonic()
    while not done():
        if time.monotonic() - started > seconds:
            pytest.fail(f"not within {seconds:g} s: {what}")
        time.sleep(0.2)
    return time.monotonic() - started


def customer_id(token: str) -> str:
    payload = token.split(".")[1]
    return str(json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["sub"])


def offered(stack: Stack, staff_id: str, day: date) -> list[str]:
    path = f"/appointments/availability/slots?serviceId=svc-consult&staffId={staff_id}&date={day.isoformat()}"
    status, answer = call(stack.url, "GET", path)
    assert status == 200, answer
    return [str(s["start"]) for s in answer["slots"]]


def first_slot(stack: Stack, staff_id: str, day: date) -> str:
    starts = offered(stack, staff_id, day)
    assert starts, f"nothing offered by {staff_id} on {day}"
    return starts[0]


def book(stack: Stack, token: str, staff_id: str, day: date, time_slot: str, phone: str, email: str = "") -> Any:
    body = {
        "serviceId": "svc-consult",
        "staffId": staff_id,
        "date": day.isoformat(),
        "timeSlot": time_slot,
        "customerInfo": {"name": "Nora Lin", "phone": phone, "email": email},
        "totalAmount": 0,
    }
    status, answer = call(stack.url, "POST", "/appointments/book", body, token)
    assert status == 201, answer
    return answer["appointment"]


def settle(stack: Stack) -> None:
    """A marker booking made last and waited for: what was queued before it has been through the worker."""
    token, phone, day = sign_in(stack.url, "customer", "Marker"), fresh_phone(), working_day(12)
    book(stack, token, "staff-wang", day, first_slot(stack, "staff-wang", day), phone)
    wait_until(lambda: len(texts_to(stack, phone)) == 1, 60, "the marker's confirmation")


def test_a_booking_is_confirmed_by_text_within_a_minute_with_no_endpoint_called(local_stack: Stack) -> None:
    token, phone, day = sign_in(local_stack.url, "customer", "Nora"), fresh_phone(), working_day(9)
    appointment = book(local_stack, token, "staff-wang", day, first_slot(local_stack, "staff-wang", day), phone)
    assert appointment["status"] == "confirmed" and appointment["confirmationSentAt"] is not None
    took = wait_until(lambda: len(texts_to(local_stack, phone)) == 1, 60, "the confirmation text")
    print(f"confirmation: booked to SNS in {took:.2f} s")
    (text,) = texts_to(local_stack, phone)
    assert "已确认" in text and "Style consultation" in text and "Asia/Shanghai, UTC+0800" in text
    settle(local_stack)
    assert len(texts_to(local_stack, phone)) == 1


def test_the_seeds_notification_service_works_unchanged(local_stack: Stack) -> None:
    token, phone, email = sign_in(local_stack.url, "customer", "Nora Seed"), fresh_phone(), "nora.seed@example.com"
    day, later = working_day(10), working_day(11)
    appointment = book(local_stack, token, "staff-wang", day, first_slot(local_stack, "staff-wang", day), phone, email)
    wait_until(lambda: len(texts_to(local_stack, phone)) == 1, 60, "the automatic confirmation")
    new_time = first_slot(local_stack, "staff-wang", later)
    arguments = [appointment["id"], customer_id(token), later.isoformat(), new_time]
    seen = run_seed("run_seed_notifications.mjs", local_stack.url, token, *arguments)
    assert seen["preferences"] == {
        "sms": True,
        "email": False,
        "push": True,
        "reminderTimes": ["24h", "2h"],
        "locale": "zh-CN",
    }
    assert seen["updated"]["success"] is True and seen["updated"]["preferences"]["email"] is True
    for answer in ("confirmation", "reminder", "rescheduling", "cancellation"):
        assert seen[answer]["success"] is True and seen[answer]["queued"] is True, answer
    assert seen["scheduled"]["reminderTimes"] == ["24h", "2h"]
    assert (seen["moved"], seen["cancelled"]) == (200, 200)
    assert all(entry.get("statusCode", 200) < 400 for entry in seen["log"]), seen["log"]

    wait_until(lambda: len(emails_to(local_stack, email)) >= 2, 60, "the move and the cancellation by email")
    settle(local_stack)
    texts = texts_to(local_stack, phone)
    assert sum("已确认" in t for t in texts) == 1, texts  # automatic and explicit confirmation: one message
    assert sum(f"now on {later.isoformat()} {new_time}" in t for t in texts) == 1, texts
    cancelled = [t for t in texts if "is cancelled." in t]
    assert len(cancelled) == 1 and "Change of plans" not in cancelled[0], texts  # the customer's words stay theirs
    assert sum(t.startswith("Reminder:") for t in texts) <= 1, texts  # none if the cancel overtook it
    assert len(texts) <= 4, texts
    assert sorted(emails_to(local_stack, email)).count("Booking cancelled") == 1


@pytest.mark.waits  # up to ~80 s for the clock to reach the reminder's due time
def test_a_reminder_due_in_a_minute_is_delivered_once_on_time(local_stack: Stack) -> None:
    """A staff member on 24-hour hours makes a slot ~2 h ahead; a reminder offset puts its due time ~1 min away."""
    admin, staff = sign_in(local_stack.url, "admin", "Owner"), local_stack.staff_token
    status, made = call(
        local_stack.url, "POST", "/admin/staff", {"name": "Night Owl", "serviceIds": ["svc-consult"]}, admin
    )
    assert status == 201, made
    owl = made["staff"]["id"]
    every_day = {d: [{"start": "00:00", "end": "24:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    hours = {"availability": {"weekly": every_day, "breaks": [], "overrides": {}}}
    status, answer = call(local_stack.url, "PUT", f"/appointments/staff/{owl}/availability", hours, staff)
    assert status == 200, answer

    token, phone = sign_in(local_stack.url, "customer", "Nora Early"), fresh_phone()
    today = datetime.now(SHANGHAI).date()
    day = today if offered(local_stack, owl, today) else today + timedelta(days=1)
    time_slot = first_slot(local_stack, owl, day)
    start = datetime.combine(day, datetime.strptime(time_slot, "%H:%M").time(), SHANGHAI)
    minutes_ahead = int(((start - datetime.now(SHANGHAI)).total_seconds() - 15) // 60)  # due in 15 to 75 s
    offset = f"{minutes_ahead}m"
    preferences = {"preferences": {"reminderTimes": [offset]}}
    assert call(local_stack.url, "PUT", "/customers/me/notification-preferences", preferences, token)[0] == 200
    appointment = book(local_stack, token, owl, day, time_slot, phone)
    due = start - timedelta(minutes=minutes_ahead)
    assert datetime.now(SHANGHAI) < due

    def reminded() -> bool:
        return any("提醒" in t for t in texts_to(local_stack, phone))

    wait_until(reminded, (due - datetime.now(SHANGHAI)).total_seconds() + 60, "the reminder, by its due time + 60 s")
    late = (datetime.now(SHANGHAI) - due).total_seconds()
    print(f"reminder: due {due:%H:%M:%S}, in SNS {late:+.2f} s after it")
    assert late <= 60
    settle(local_stack)
    assert sum("提醒" in t for t in texts_to(local_stack, phone)) == 1
    _, shown = call(local_stack.url, "GET", f"/appointments/{appointment['id']}", token=token)
    assert shown["appointment"]["reminderSentAt"] is not None
