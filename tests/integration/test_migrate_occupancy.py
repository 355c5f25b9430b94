"""Moving a table kept by the lock-based code (5-minute lock items) to calendar days.

`tests/fixtures/lock_table.json` is that code's own table: appointments (confirmed, a paid hold, one with its
own buffers, a walk-in at 16:03, one cancelled, one crossing UTC midnight), a block, and their 87 locks,
written by commit 3e6a41b through its store (`tests/fixtures/make_lock_table.py.txt` made it).
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from chalicelib.domain.occupancy import holdings
from chalicelib.store import Store
from chalicelib.store.models import LockItem
from scripts import invariants
from scripts.migrate_occupancy import Migrated, _hold, _owner, migrate
from tests.conftest import LOCAL_ENV

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "lock_table.json"
TABLE = LOCAL_ENV["TABLE_NAME"]
GRANULE = 5 * 60


def load_the_old_table(endpoint: str) -> dict[str, set[datetime]]:
    """The fixture's items put as they were; returns each owner's locked granules."""
    client = invariants.dynamodb(endpoint)
    locked: dict[str, set[datetime]] = defaultdict(set)
    for item in json.loads(FIXTURE.read_text()):
        client.put_item(TableName=TABLE, Item=item)
        if item["kind"]["S"] == "lock":
            granule = datetime.strptime(item["sk"]["S"], "LOCK#%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC)
            locked[item["owner"]["S"]].add(granule)
    return dict(locked)


def granules_held(store: Store) -> dict[str, set[datetime]]:
    """Every 5-minute granule each owner's holds touch, from the calendar days as written."""
    snapshot = table(store)
    touched: dict[str, set[datetime]] = defaultdict(set)
    for holds in snapshot.days.values():
        for hold in holds:
            first = int(hold.start.timestamp()) // GRANULE * GRANULE
            touched[hold.owner] |= {
                datetime.fromtimestamp(t, UTC) for t in range(first, int(hold.end.timestamp()), GRANULE)
            }
    return dict(touched)


def table(store: Store) -> invariants.Snapshot:
    endpoint = store.table.connection.client.meta.endpoint_url
    return invariants.Snapshot.of(invariants.scan(invariants.dynamodb(endpoint), TABLE))


def broken(snapshot: invariants.Snapshot) -> dict[str, Any]:
    return {name: found for name, found in invariants.check(snapshot, datetime.now(UTC)).items() if found}


def test_every_open_holder_keeps_exactly_the_time_its_locks_held_and_the_locks_are_gone(
    moto_endpoint: str, store: Store
) -> None:
    locked = load_the_old_table(moto_endpoint)
    assert sum(map(len, locked.values())) == 87 and len(locked) == 8  # seven open appointments and a block

    assert migrate(store) == Migrated(owners=8, dropped=0, locks=87)

    assert granules_held(store) == locked  # the walk-in at 16:03 holds 16:03, which touches 16:00's granule
    assert list(LockItem.scan()) == []
    snapshot = table(store)
    assert broken(snapshot).keys() <= {"no orphaned hold", "figures agree with a rebuild"}  # its hold lapsed long ago
    walk_in = snapshot.appointments["legacywalkin"]
    assert [h.start for day in snapshot.days.values() for h in day if h.owner == walk_in.holder] == [walk_in.start]


def test_a_second_run_changes_nothing(moto_endpoint: str, store: Store) -> None:
    load_the_old_table(moto_endpoint)
    migrate(store)
    before = table(store).days

    assert migrate(store) == Migrated()
    assert table(store).days == before


def test_a_run_stopped_after_writing_an_owners_days_but_before_deleting_its_locks_resumes(
    moto_endpoint: str, store: Store
) -> None:
    locked = load_the_old_table(moto_endpoint)
    first = sorted(locked)[0]
    thing = _owner(store, first)
    assert thing is not None
    _hold(store, thing)  # the stop: its days written, its locks still there

    assert migrate(store) == Migrated(owners=8, dropped=0, locks=87)

    assert granules_held(store) == locked
    days = table(store).days
    mine = {key: [h for h in holds if h.owner == thing.holder] for key, holds in days.items()}
    assert {key: holds for key, holds in mine.items() if holds} == holdings(thing.occupied, thing.holder)
