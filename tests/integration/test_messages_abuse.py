"""Messages are not a weapon: a customer cannot make the business text any number, as often as they like,
with words of their own."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import time_machine

import app
from chalicelib.domain.actor import Role
from chalicelib.store import Store
from scripts.worker import scheduled_event
from tests.conftest import SHANGHAI, working_day
from tests.integration.conftest import Api, booking, token_for
from tests.integration.notices_helpers import bodies, event, receive_all, sent
from tests.integration.test_booking_routes import error_code

MOBILE = "+8613800138000"
DAY = working_day().isoformat()


def book(api: Api, token: str, time: str = "10:00", phone: str = "13800138000", **changes: Any) -> dict[str, Any]:
    body = booking(time=time, **changes)
    body["customerInfo"] = {**body["customerInfo"], "phone": phone}
    answer = api.post("/appointments/book", body, token)
    assert answer.status == 201, answer.body
    return dict(answer.body["appointment"])


def deliver_queued() -> list[dict[str, Any]]:
    messages = receive_all()
    if not messages:
        return []
    assert app.deliver_notices(event(messages), None) == {"batchItemFailures": []}
    return bodies(messages)


def texts_to(number: str) -> list[str]:
    return [m["message"] for m in sent()["sms"] if m["phone_number"] == number]


def set_settings(api: Api, **changes: Any) -> None:
    answer = api.put("/admin/settings", changes, token_for(Role.ADMIN, "Owner"))
    assert answer.status == 200, answer.body


def test_fifty_explicit_reminders_in_any_spelling_text_each_owed_reminder_once_at_its_time(
    api: Api, alice: str, store: Store
) -> None:
    appointment = book(api, alice)
    path = f"/appointments/{appointment['id']}/notifications/reminder"
    spellings = ["5m", "6m", "010m", "0010m", "24h", "1d", "1440m", "024h", "2h", "120m", "7d", "30m"]
    answers = [api.post(path, {"type": spellings[i % len(spellings)]}, alice) for i in range(50)]
    accepted = {s for s, a in zip(spellings * 5, answers, strict=False) if a.status == 202}
    assert accepted == {"24h", "1d", "024h", "2h", "120m"}  # the appointment's own: 24h and 2h
    refused = [a for a in answers if a.status != 202]
    assert {a.status for a in refused} == {400} and refused[0].body["error"]["fields"] == {
        "type": "not one of this appointment's reminder times"
    }
    start = datetime.fromisoformat(appointment["appointmentDateTime"])
    due = {datetime.fromisoformat(a.body["dueAt"]) for a in answers if a.status == 202}
    assert due == {start - timedelta(hours=24), start - timedelta(hours=2)}  # never earlier than their time
    deliver_queued()
    assert len(texts_to(MOBILE)) == 1  # the confirmation only: no reminder goes out early

    with time_machine.travel(start - timedelta(hours=23, minutes=59), tick=False):
        app.sweep_notices(scheduled_event(datetime.now(UTC)), None)
        deliver_queued()
    with time_machine.travel(start - timedelta(minutes=119), tick=False):
        app.sweep_notices(scheduled_event(datetime.now(UTC)), None)
        deliver_queued()
        late = api.post(path, {"type": "1d"}, token_for(Role.CUSTOMER, "Alice"))
        assert late.status == 409 and error_code(late.body) == "ILLEGAL_TRANSITION"  # it went at its time
        deliver_queued()
    texts = texts_to(MOBILE)
    assert len(texts) == 3 and sum("提醒" in t for t in texts) == 2  # each reminder once, at its time


def test_equal_reminder_times_written_differently_are_one(api: Api, alice: str) -> None:
    appointment = book(api, alice)
    path = f"/appointments/{appointment['id']}/reminders/schedule"
    answer = api.post(path, {"reminderTimes": ["1d", "24h", "090m"]}, alice)
    assert answer.status == 200 and answer.body["reminderTimes"] == ["24h", "90m"]


def test_texts_to_one_number_stop_at_the_days_cap_and_the_api_says_when_to_retry(api: Api, alice: str) -> None:
    set_settings(api, textsPerNumberPerDay=2)
    ids = [book(api, alice, time)["id"] for time in ("10:00", "11:00", "14:00")]
    deliver_queued()
    assert len(texts_to(MOBILE)) == 2  # three confirmations owed, two sent
    refused = api.post(f"/appointments/{ids[2]}/notifications/confirmation", None, alice)
    assert refused.status == 429 and error_code(refused.body) == "TOO_MANY_MESSAGES"
    assert 0 < int(refused.headers["Retry-After"]) <= 24 * 3600
    assert receive_all() == []  # nothing queued past the cap


def test_a_customer_spreading_bookings_over_numbers_is_capped_as_one(api: Api, alice: str) -> None:
    set_settings(api, textsPerCustomerPerDay=3)
    numbers = ["13800138000", "13900139001", "13700137002", "13600136003"]
    for at, number in zip(("10:00", "11:00", "14:00", "15:00"), numbers, strict=True):
        book(api, alice, at, phone=number)
    deliver_queued()
    assert len(sent()["sms"]) == 3


def test_texts_go_only_to_mobiles_of_the_countries_the_business_allows(api: Api, alice: str, bob: str) -> None:
    book(api, alice, "10:00", phone="+861062345678")  # a Beijing landline
    book(api, bob, "11:00", phone="+12025550123")  # a US number: not the business's country
    deliver_queued()
    assert sent()["sms"] == []
    set_settings(api, smsCountries=["CN", "US"])
    book(api, bob, "14:00", phone="+12025550123")
    deliver_queued()
    assert len(texts_to("+12025550123")) == 1
    wrong = api.put("/admin/settings", {"smsCountries": ["XX"]}, token_for(Role.ADMIN, "Owner"))
    assert wrong.status == 400 and wrong.body["error"]["fields"] == {"smsCountries": "unknown country"}


def test_the_business_alert_number_must_be_a_mobile(api: Api) -> None:
    owner = token_for(Role.ADMIN, "Owner")
    landline = api.put("/admin/settings", {"alertPhone": "+862155550100"}, owner)
    assert landline.status == 400 and landline.body["error"]["fields"] == {"alertPhone": "not a mobile number"}
    assert api.get("/admin/settings", owner).body["settings"]["alertPhone"] == "+8613900139000"


def test_a_customers_cancel_reason_stays_in_the_history_and_out_of_the_message(api: Api, alice: str) -> None:
    appointment = book(api, alice)
    reason = "Call 13912345678 or visit http://evil.example/win now"
    path = f"/appointments/{appointment['id']}"
    assert api.put(f"{path}/cancel", {"reason": reason}, alice).status == 200
    assert api.post(f"{path}/notifications/cancellation", {"reason": reason}, alice).status == 202
    deliver_queued()
    cancelled = [t for t in texts_to(MOBILE) if "取消" in t]
    assert len(cancelled) == 1 and "evil" not in cancelled[0] and "13912345678" not in cancelled[0]
    history = api.get(f"{path}/history", token_for(Role.STAFF, "Front Desk")).body["history"]
    assert reason in [h["reason"] for h in history]


def test_email_goes_to_the_profiles_address_when_the_booking_gives_none(api: Api, alice: str, store: Store) -> None:
    api.put("/customers/me/notification-preferences", {"preferences": {"email": True, "sms": False}}, alice)
    book(api, alice, "10:00")  # alice@example.com, now on her profile
    body = booking(time="11:00")
    body["customerInfo"] = {"name": "Alice Wong", "phone": "13800138000"}
    assert api.post("/appointments/book", body, alice).status == 201
    deliver_queued()
    emails = sent()["email"]
    assert len(emails) == 2 and all("alice@example.com" in str(e["destinations"]) for e in emails)


def test_one_move_is_announced_once_however_the_appointment_changed_since(api: Api, alice: str) -> None:
    path = f"/appointments/{book(api, alice)['id']}"
    assert api.put(f"{path}/reschedule", {"date": DAY, "timeSlot": "14:00"}, alice).status == 200
    ids = set()
    for times in (["2h"], ["3h"], ["24h", "2h"]):  # each change raises the appointment's version
        assert api.post(f"{path}/reminders/schedule", {"reminderTimes": times}, alice).status == 200
        ids.add(api.post(f"{path}/notifications/reschedule", {"newDateTime": f"{DAY} 14:00"}, alice).body["messageId"])
    deliver_queued()
    assert len(ids) == 1 and sum("已改至" in t for t in texts_to(MOBILE)) == 1


def test_nothing_is_announced_again_for_a_time_already_gone(api: Api) -> None:
    afternoon = datetime.combine(working_day(), time(15, 0), SHANGHAI)
    with time_machine.travel(afternoon, tick=False):
        staff = token_for(Role.STAFF, "Front Desk")
        walk_in = {"customerInfo": {"name": "Wu Min", "phone": "13900139000"}, "staffId": "staff-li"}
        made = api.post(
            "/appointments", {**walk_in, "serviceId": "svc-cut", "scheduledAt": f"{DAY}T11:00:00+08:00"}, staff
        )
        path = f"/appointments/{made.body['appointment']['id']}"
        assert api.put(f"{path}/confirm", None, staff).status == 200
        for kind in ("confirmation", "reminder"):
            late = api.post(f"{path}/notifications/{kind}", {"type": "2h"}, staff)
            assert late.status == 409 and error_code(late.body) == "APPOINTMENT_CLOSED", kind
        assert api.put(f"{path}/cancel", {}, staff).status == 200
        late = api.post(f"{path}/notifications/cancellation", {}, staff)
        assert late.status == 409 and error_code(late.body) == "APPOINTMENT_CLOSED"
    assert receive_all() == []


def test_emails_to_one_address_are_capped_like_texts(api: Api, alice: str) -> None:
    set_settings(api, textsPerNumberPerDay=2)
    prefs = {"preferences": {"sms": False, "email": True, "push": False}}
    assert api.put("/customers/me/notification-preferences", prefs, alice).status == 200
    appointment = book(api, alice, customerInfo={"name": "A", "phone": "13800138000", "email": "victim@example.net"})
    path = f"/appointments/{appointment['id']}"
    for time_slot in ("14:00", "15:00", "16:00"):
        api.put(f"{path}/reschedule", {"date": DAY, "timeSlot": time_slot}, alice)
        api.post(f"{path}/notifications/reschedule", {}, alice)
    deliver_queued()
    assert len([e for e in sent()["email"] if "victim@example.net" in str(e["destinations"])]) == 2
    refused = api.post(f"{path}/notifications/reschedule", {}, alice)
    assert refused.status == 429 and int(refused.headers["Retry-After"]) > 0


def test_a_reminder_whose_time_had_passed_when_it_was_set_is_never_sent(api: Api, alice: str) -> None:
    appointment = book(api, alice)
    path = f"/appointments/{appointment['id']}"
    start = datetime.fromisoformat(appointment["appointmentDateTime"])
    with time_machine.travel(start - timedelta(minutes=25), tick=False):
        customer = token_for(Role.CUSTOMER, "Alice")
        deliver_queued()
        answer = api.post(f"{path}/reminders/schedule", {"reminderTimes": ["1h", "2h", "3h"]}, customer)
        assert answer.status == 200 and answer.body["scheduled"] == []
        for offset in ("1h", "2h", "3h"):
            refused = api.post(f"{path}/notifications/reminder", {"type": offset}, customer)
            assert refused.status == 409, offset  # "in 1 h" would be untrue 25 minutes before
        assert receive_all() == []
    assert not any("提醒" in t for t in texts_to(MOBILE))
