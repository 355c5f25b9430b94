"""The sent stamps live beside the appointment (store/stamps.py): cheap to write, and every answer still shows them."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import time_machine

import app
from chalicelib.integrations.queue import get_queue
from chalicelib.services.notices import relay_schedule
from chalicelib.store import Store, mapping, stamps
from chalicelib.store.models import AppointmentItem, StampsItem
from scripts.worker import scheduled_event
from tests.integration.conftest import Api, booking
from tests.integration.notices_helpers import receive_all
from tests.integration.test_front_desk import complete_once_started

LIST_QUERIES = ("/appointments/mine?scope=all", "/appointments?scope=confirmed")


def book(api: Api, token: str, **changes: Any) -> dict[str, Any]:
    answer = api.post("/appointments/book", booking(**changes), token)
    assert answer.status == 201, answer.body
    return dict(answer.body["appointment"])


def sweep_at(moment: datetime) -> None:
    with time_machine.travel(moment, tick=False):
        app.sweep_notices(scheduled_event(datetime.now(UTC)), None)


def shown(api: Api, alice: str, staff: str, appointment_id: str) -> list[dict[str, Any]]:
    """The appointment in every answer that shows it: by id, the customer's and the front desk's lists, the
    staff member's schedule, the day's overview and the customer's profile."""
    one = api.get(f"/appointments/{appointment_id}", alice).body["appointment"]
    date, staff_id = one["date"], one["staffId"]
    lists = [api.get(q, alice if "mine" in q else staff).body["appointments"] for q in LIST_QUERIES]
    schedule = api.get(f"/appointments/staff/{staff_id}/schedule?startDate={date}&endDate={date}", staff).body
    overview = api.get(f"/appointments/schedule/overview?date={date}", staff).body["overview"]
    profile = api.get(f"/customers/{one['customerId']}", staff).body
    found = [
        *(a for listed in lists for a in listed),
        *(a for day in schedule["schedule"] for a in day["appointments"]),
        *(a for member in overview["staff"] for a in member["appointments"]),
        *profile["history"],
    ]
    return [one, *(a for a in found if a["id"] == appointment_id)]


def test_a_relayed_reminder_is_stamped_beside_the_appointment_and_shown_everywhere(
    api: Api, alice: str, staff: str, store: Store
) -> None:
    appointment = book(api, alice)
    written = AppointmentItem.get(f"APPT#{appointment['id']}", "APPT")
    sweep_at(store.appointments.get(appointment["id"]).start - timedelta(hours=23, minutes=59))
    assert [b for b in receive_all() if '"reminder"' in b["Body"]]
    item = AppointmentItem.get(f"APPT#{appointment['id']}", "APPT")
    assert item.version == written.version and item.reminder_sent_at is None  # the appointment is not rewritten
    sent = StampsItem.get(*stamps.stamps_key(appointment["id"]))
    assert sent.confirmation_sent_at is not None and sent.reminder_sent_at is not None
    answers = shown(api, alice, staff, appointment["id"])
    assert len(answers) == 1 + len(LIST_QUERIES) + 3
    assert {(a["confirmationSentAt"], a["reminderSentAt"]) for a in answers} == {
        (answers[0]["confirmationSentAt"], answers[0]["reminderSentAt"])
    }
    assert answers[0]["confirmationSentAt"] is not None and answers[0]["reminderSentAt"] is not None


def test_a_move_clears_the_reminder_stamp_and_keeps_the_confirmation(
    api: Api, alice: str, staff: str, store: Store
) -> None:
    appointment = book(api, alice)
    sweep_at(store.appointments.get(appointment["id"]).start - timedelta(hours=23, minutes=59))
    receive_all()
    later = (datetime.fromisoformat(appointment["scheduledAt"]) + timedelta(days=3)).date().isoformat()
    moved = api.put(f"/appointments/{appointment['id']}/reschedule", {"date": later, "timeSlot": "10:00"}, staff)
    assert moved.status == 200, moved.body
    assert moved.body["appointment"]["reminderSentAt"] is None
    for answer in shown(api, alice, staff, appointment["id"]):
        assert answer["reminderSentAt"] is None and answer["confirmationSentAt"] is not None
    assert StampsItem.get(*stamps.stamps_key(appointment["id"])).reminder_sent_at is None


def test_an_appointment_stamped_on_its_own_item_as_before_reads_the_same_and_keeps_them_through_a_change(
    api: Api, alice: str, staff: str, store: Store
) -> None:
    appointment = book(api, alice)
    at = datetime.fromisoformat(appointment["createdAt"]).astimezone(UTC)
    before = replace(store.appointments.get(appointment["id"]), confirmation_sent_at=at, reminder_sent_at=at)
    mapping.appointment_item(before).save()  # as the relay wrote stamps before: on the appointment, no item beside
    StampsItem(*stamps.stamps_key(appointment["id"])).delete()
    stamp = f"{at.astimezone(datetime.fromisoformat(appointment['createdAt']).tzinfo):%Y-%m-%dT%H:%M}"
    for answer in shown(api, alice, staff, appointment["id"]):
        assert answer["confirmationSentAt"].startswith(stamp) and answer["reminderSentAt"].startswith(stamp)
    complete_once_started(store, appointment["id"])
    done = store.appointments.get(appointment["id"])
    assert (done.confirmation_sent_at, done.reminder_sent_at) == (at, at)


def test_a_relay_that_read_the_schedule_before_a_move_leaves_the_moves_schedule_standing(
    api: Api, alice: str, staff: str, store: Store
) -> None:
    appointment = book(api, alice)
    before, key = store.appointments.with_schedule(appointment["id"])
    assert key is not None and stamps.due_of(key) == before.start - timedelta(hours=24)
    later = (before.start + timedelta(days=3)).astimezone(UTC)
    api.put(f"/appointments/{appointment['id']}/reschedule", {"date": f"{later:%Y-%m-%d}", "timeSlot": "10:00"}, staff)
    receive_all()
    late = relay_schedule(store, get_queue(), before, key, stamps.due_of(key))  # the sweep that read it before
    assert late is None  # its stamp refused: the move set the schedule since
    moved, now_key = store.appointments.with_schedule(appointment["id"])
    assert now_key is not None and stamps.due_of(now_key) == moved.start - timedelta(hours=24)
    assert moved.reminder_sent_at is None and moved.confirmation_sent_at is not None


def test_a_schedule_whose_appointment_is_gone_leaves_the_index_at_its_time(api: Api, alice: str, store: Store) -> None:
    appointment = book(api, alice)
    start = store.appointments.get(appointment["id"]).start
    AppointmentItem(f"APPT#{appointment['id']}", "APPT").delete(add_version_condition=False)  # gone, its schedule left
    sweep_at(start - timedelta(hours=23, minutes=59))
    assert StampsItem.get(*stamps.stamps_key(appointment["id"])).gsi5sk is None  # not swept again every minute
    assert [b for b in receive_all() if '"reminder"' in b["Body"]] == []
