"""Moves confirmations and reminders from notices to the appointments' schedules: `python -m scripts.migrate_messages`.

Before schedules, a change wrote a notice item for its confirmation and one per reminder (pk APPT#<id>, sk
NOTICE#confirmation or NOTICE#reminder#<offset>, in gsi5 until relayed). Now the item beside the appointment
says when its next one is due (store/stamps.py), and the relay works out which one it is. For each appointment
with such notices still waiting, this sets its schedule's due time to the earliest of them, unless a change made
since has set one (that one stands), and then deletes them. An appointment gone, final or past has its notices
deleted and no schedule.

Idempotent and resumable: a second run, or a run after a stop between the schedule and the deletes, finds the
schedule set and deletes what is left. Run it before the code that relays schedules serves (the local stack
does, on start).
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chalicelib.domain.errors import NotFound
from chalicelib.domain.notices import Kind, Schedule
from chalicelib.store import Store, stamps
from chalicelib.store.models import NoticeItem


@dataclass
class Migrated:
    scheduled: int = 0  # appointments whose waiting confirmation or reminders became their schedule
    dropped: int = 0  # appointments gone, final or past: their notices deleted, nothing scheduled
    notices: int = 0  # notice items deleted

    def __str__(self) -> str:
        return f"{self.scheduled} schedules set, {self.dropped} gone or closed, {self.notices} notices deleted"


def _schedule(store: Store, appointment_id: str, waiting: list[NoticeItem], now: datetime) -> bool:
    """Set the appointment's schedule from its waiting notices; False if it has none to keep."""
    try:
        appointment, key = store.appointments.with_schedule(appointment_id)
    except NotFound:
        return False
    if appointment.status.is_final or appointment.start <= now:
        return False
    if key is None:  # set by no change since: the earliest waiting notice's time
        item, actions = stamps.scheduled(appointment_id, Schedule(min(n.due_at for n in waiting)))
        item.update(actions=actions)
    return True


def migrate(store: Store, now: datetime | None = None) -> Migrated:
    done, at = Migrated(), now or datetime.now(UTC)
    waiting: defaultdict[str, list[NoticeItem]] = defaultdict(list)
    for notice in NoticeItem.scan(consistent_read=True):
        if notice.notice_kind in (Kind.CONFIRMATION.value, Kind.REMINDER.value):
            waiting[notice.pk.removeprefix("APPT#")].append(notice)
    for appointment_id, notices in sorted(waiting.items()):
        if _schedule(store, appointment_id, notices, at):
            done.scheduled += 1
        else:
            done.dropped += 1
        with NoticeItem.batch_write() as batch:
            for notice in notices:
                batch.delete(notice)
        done.notices += len(notices)
    return done


def main() -> None:
    store = Store(os.environ.get("TABLE_NAME", "slotbook"), os.environ.get("AWS_REGION", "us-east-1"))
    print(migrate(store))


if __name__ == "__main__":
    main()
