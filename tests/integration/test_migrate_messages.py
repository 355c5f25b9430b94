"""Moving a table kept by the notice-based code (a notice item per confirmation and reminder) to schedules.

`tests/fixtures/notice_table.json` is that code's own table: four confirmed haircuts on 12 January 2027, booked
on 2 December 2026 (one 5 hours before its start), with their confirmation and reminders waiting as that code left
them: all three (its confirmation never relayed), both reminders, the 2-hour one only (the day-before one relayed),
and the 2-hour one only (booked too late for the other). Written by commit 56696be through its store
(`tests/fixtures/make_notice_table.py.txt` made it).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import time_machine

import app
from chalicelib.domain.notices import Kind, Notice
from chalicelib.store import Store, mapping, stamps
from chalicelib.store.models import NoticeItem
from scripts import invariants
from scripts.migrate_messages import Migrated, _schedule, migrate
from scripts.worker import scheduled_event
from tests.conftest import LOCAL_ENV
from tests.integration.notices_helpers import bodies, receive_all

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "notice_table.json"
BOOKED = datetime(2026, 12, 2, 1, 0, tzinfo=UTC)


def load_the_old_table(endpoint: str) -> dict[str, list[str]]:
    """The fixture's items put as they were; returns each appointment's waiting notices (their keys)."""
    client = invariants.dynamodb(endpoint)
    waiting: dict[str, list[str]] = {}
    for item in json.loads(FIXTURE.read_text()):
        client.put_item(TableName=LOCAL_ENV["TABLE_NAME"], Item=item)
        if item["kind"]["S"] == "notice":
            waiting.setdefault(item["pk"]["S"].removeprefix("APPT#"), []).append(item["sk"]["S"])
    return waiting


def swept_at(moment: datetime) -> list[tuple[str, str]]:
    with time_machine.travel(moment, tick=False):
        app.sweep_notices(scheduled_event(datetime.now(UTC)), None)
    return [(b["appointmentId"], b["kind"] + (f" {b['offset']}" if b["offset"] else "")) for b in bodies(receive_all())]


def test_waiting_confirmations_and_reminders_become_schedules_and_each_goes_out_once_at_its_time(
    store: Store, moto_endpoint: str
) -> None:
    waiting = load_the_old_table(moto_endpoint)
    assert sum(map(len, waiting.values())) == 7
    gone = Notice("gone", Kind.REMINDER, BOOKED + timedelta(days=3), offset="2h")
    mapping.notice_item(gone).save()  # a notice whose appointment is no more: deleted, nothing scheduled

    assert migrate(store, BOOKED) == Migrated(scheduled=4, dropped=1, notices=8)
    assert list(NoticeItem.scan(consistent_read=True)) == []
    assert migrate(store, BOOKED) == Migrated()  # again: nothing left to do

    dues, starts = {}, {}
    for appointment_id in waiting:
        appointment, key = store.appointments.with_schedule(appointment_id)
        assert key is not None
        dues[appointment_id], starts[appointment_id] = stamps.due_of(key), appointment.start
    unsent = next(a for a, keys in waiting.items() if "NOTICE#confirmation" in keys)
    both = next(a for a, keys in waiting.items() if len(keys) == 2)
    assert dues[unsent] == BOOKED and dues[both] == starts[both] - timedelta(hours=24)
    assert all(dues[a] == starts[a] - timedelta(hours=2) for a, keys in waiting.items() if len(keys) == 1)

    sent: Counter[tuple[str, str]] = Counter()
    moments = sorted(
        {BOOKED + timedelta(minutes=1), *dues.values(), *(s - timedelta(hours=2) for s in starts.values())}
    )
    for moment in moments:
        sent.update(swept_at(max(moment, BOOKED + timedelta(minutes=1))))
    expected = Counter({(unsent, "confirmation"): 1})
    expected.update({(unsent, "reminder 24h"): 1, (both, "reminder 24h"): 1})
    expected.update({(a, "reminder 2h"): 1 for a in waiting})
    assert sent == expected  # each once, at its time; none of those relayed before went out again


def test_a_run_stopped_between_a_schedule_and_its_deletes_is_finished_by_the_next(
    store: Store, moto_endpoint: str
) -> None:
    waiting = load_the_old_table(moto_endpoint)
    first = sorted(waiting)[0]
    notices = [i for i in NoticeItem.query(f"APPT#{first}") if isinstance(i, NoticeItem)]
    assert _schedule(store, first, notices, BOOKED)  # the schedule written, then the run stopped
    _, key = store.appointments.with_schedule(first)
    assert migrate(store, BOOKED) == Migrated(scheduled=4, dropped=0, notices=7)
    assert store.appointments.with_schedule(first)[1] == key
