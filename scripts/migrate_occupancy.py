"""Moves occupancy from 5-minute lock items to calendar days: `python -m scripts.migrate_occupancy`.

Before calendar days, an appointment or a block held one item per 5-minute granule (pk STAFF#<id>,
sk LOCK#<granule>, owner APPT#<id> or BLOCK#<id>). For each owner those locks name, this writes what the
owner occupies now (`holdings` of the appointment or block itself, so a walk-in at 16:03 holds 16:03, not
16:00) into its calendar days, each on condition of the revision read, and only then deletes that owner's
locks. Locks of an owner that is gone or final are deleted without a hold.

Idempotent and resumable: an owner's holds replace whatever that owner held on the day, so a second run,
or a run after a stop between the write and the deletes, writes the same holds again; owners whose locks
are gone are done. Run it before the code that reads calendar days serves (the local stack does, on start).
"""

from __future__ import annotations

import os
import sys
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.block import Block
from chalicelib.domain.errors import NotFound
from chalicelib.domain.occupancy import CalendarDay, DayKey, holdings
from chalicelib.store import Store
from chalicelib.store.models import LockItem
from chalicelib.store.occupancy import Writes, hold_time, transact


@dataclass
class Migrated:
    owners: int = 0  # appointments and blocks whose time moved to calendar days
    dropped: int = 0  # owners gone or final: their locks deleted, nothing held
    locks: int = 0  # lock items deleted

    def __str__(self) -> str:
        return f"{self.owners} holders moved to calendar days, {self.dropped} gone or final, {self.locks} locks deleted"


def _owner(store: Store, owner: str) -> Appointment | Block | None:
    kind, _, owner_id = owner.partition("#")
    try:
        if kind == "APPT":
            appointment = store.appointments.get(owner_id)
            return None if appointment.status.is_final else appointment
        return store.blocks.get(owner_id) if kind == "BLOCK" else None
    except NotFound:
        return None


def _no_raise(failed: set[str]) -> None:
    """Only calendar days are written here; a day changed meanwhile is read again by `transact`."""


def _hold(store: Store, thing: Appointment | Block) -> None:
    """What the owner occupies, on its calendar days (unchanged days are left alone)."""
    held = holdings(thing.occupied, thing.holder)

    def build(writes: Writes, days: Mapping[DayKey, CalendarDay]) -> None:
        now = {key: tuple(h for h in days[key].holds if h.owner == thing.holder) for key in held}
        hold_time(writes, days, thing.holder, now, held)

    transact(store.table.connection, held.keys(), build, _no_raise)


def migrate(store: Store) -> Migrated:
    done = Migrated()
    locks: defaultdict[str, list[LockItem]] = defaultdict(list)
    for lock in LockItem.scan(consistent_read=True):
        locks[lock.owner].append(lock)
    for owner, owned in sorted(locks.items()):
        thing = _owner(store, owner)
        if thing is None:
            done.dropped += 1
        else:
            _hold(store, thing)
            done.owners += 1
        with LockItem.batch_write() as batch:
            for lock in owned:
                batch.delete(lock)
        done.locks += len(owned)
    return done


def main() -> None:
    store = Store(os.environ.get("TABLE_NAME", "slotbook"), os.environ.get("AWS_REGION", "us-east-1"))
    print(migrate(store))


if __name__ == "__main__":
    main()
