"""The table's invariants, checked from outside after the fact (a soak, a test, an operator).

Each check takes a `Snapshot` of the whole table and returns the violations it finds, so a test can
plant one and see it named. Taking the snapshot is a Scan: a checker's job, never a request path.

- no overlap: two open appointments (or an open appointment and a block) of one staff member never
  share time, buffers included;
- no stray lock: every lock's owner exists, is open (a block always is) and covers that granule;
- no missing lock: every open appointment and every block holds each of its granules;
- no orphaned hold: an unpaid hold past its expiry (plus the sweep's period) has been let go;
- no figure drift: the analytics figures the stream built are what a rebuild would write.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.block import Block
from chalicelib.domain.daily_figures import Bucket, Days, totals
from chalicelib.store.figures import STATS, from_image

GRANULE_FORMAT = "LOCK#%Y-%m-%dT%H:%MZ"
HOLD_GRACE = timedelta(seconds=60)  # the local sweep runs every 5 s (Lambda's every minute): well past both


@dataclass(frozen=True)
class Violation:
    invariant: str
    detail: str

    def __str__(self) -> str:
        return f"{self.invariant}: {self.detail}"


@dataclass
class Snapshot:
    appointments: dict[str, Appointment] = field(default_factory=dict)
    blocks: dict[str, Block] = field(default_factory=dict)
    locks: dict[tuple[str, datetime], str] = field(default_factory=dict)  # (staff id, granule) -> owner
    figures: Days = field(default_factory=dict)

    @classmethod
    def of(cls, items: Iterable[Mapping[str, Any]]) -> Snapshot:
        """A snapshot from raw items (DynamoDB JSON, as a Scan returns them)."""
        snapshot = cls()
        for raw in items:
            kind = raw.get("kind", {}).get("S")
            if kind in ("appointment", "block"):
                thing = from_image(raw)
                if isinstance(thing, Block):
                    snapshot.blocks[thing.id] = thing
                elif thing is not None:
                    snapshot.appointments[thing.id] = thing
            elif kind == "lock":
                staff_id = raw["pk"]["S"].removeprefix("STAFF#")
                granule = datetime.strptime(raw["sk"]["S"], GRANULE_FORMAT).replace(tzinfo=UTC)
                snapshot.locks[(staff_id, granule)] = raw.get("owner", {}).get("S", "")
            elif raw["pk"]["S"] == STATS and kind == "figures":
                bucket, day = raw["sk"]["S"].split("#", 1)
                snapshot.figures[(Bucket(bucket), date.fromisoformat(day))] = _figures(raw)
        return snapshot

    def open_appointments(self) -> Iterator[Appointment]:
        return (a for a in self.appointments.values() if not a.status.is_final)


def _figures(raw: Mapping[str, Any]) -> dict[str, int | str]:
    values: dict[str, int | str] = {}
    for name, value in raw.items():
        if name in ("pk", "sk", "kind"):
            continue
        if "N" in value:
            values[name] = int(value["N"])
        elif "S" in value:
            values[name] = str(value["S"])
    return values


def _fmt(moment: datetime) -> str:
    return f"{moment:%Y-%m-%dT%H:%MZ}"


def _occupied(thing: Appointment | Block) -> tuple[datetime, datetime]:
    if isinstance(thing, Block):
        return thing.start, thing.end
    return thing.start - timedelta(minutes=thing.buffer_before), thing.end + timedelta(minutes=thing.buffer_after)


def _name(thing: Appointment | Block) -> str:
    return f"BLOCK#{thing.id}" if isinstance(thing, Block) else f"APPT#{thing.id}"


def overlaps(snapshot: Snapshot) -> list[Violation]:
    """Open appointments and blocks of one staff member whose occupied times intersect."""
    by_staff: dict[str, list[Appointment | Block]] = {}
    things: list[Appointment | Block] = [*snapshot.open_appointments(), *snapshot.blocks.values()]
    for thing in things:
        by_staff.setdefault(thing.staff_id, []).append(thing)
    found = []
    for staff_id, things in sorted(by_staff.items()):
        running: list[tuple[datetime, Appointment | Block]] = []  # (end, thing) of those started so far
        for thing in sorted(things, key=_occupied):
            start, end = _occupied(thing)
            running = [(e, t) for e, t in running if e > start]
            for other_end, other in running:
                detail = f"{staff_id}: {_name(other)} until {_fmt(other_end)} and {_name(thing)} from {_fmt(start)}"
                found.append(Violation("overlap", detail))
            running.append((end, thing))
    return found


def stray_locks(snapshot: Snapshot) -> list[Violation]:
    """Locks whose owner is gone, final, another staff member's, or does not cover the granule."""
    found = []
    for (staff_id, granule), owner in sorted(snapshot.locks.items()):
        kind, _, owner_id = owner.partition("#")
        thing: Appointment | Block | None
        thing = snapshot.blocks.get(owner_id) if kind == "BLOCK" else snapshot.appointments.get(owner_id)
        where = f"STAFF#{staff_id} {_fmt(granule)} owned by {owner or '(nobody)'}"
        if thing is None or kind not in ("APPT", "BLOCK"):
            found.append(Violation("stray lock", f"{where}, which does not exist"))
        elif isinstance(thing, Appointment) and thing.status.is_final:
            found.append(Violation("stray lock", f"{where}, which is {thing.status.value}"))
        elif thing.staff_id != staff_id or granule not in thing.locked_granules:
            found.append(Violation("stray lock", f"{where}, which does not cover it"))
    return found


def missing_locks(snapshot: Snapshot) -> list[Violation]:
    """Open appointments and blocks lacking one of their granules' locks (or holding it under another name)."""
    found = []
    things: list[Appointment | Block] = [*snapshot.open_appointments(), *snapshot.blocks.values()]
    for thing in things:
        owner = _name(thing)
        for granule in thing.locked_granules:
            holder = snapshot.locks.get((thing.staff_id, granule))
            if holder != owner:
                held = f"held by {holder}" if holder else "not held"
                found.append(Violation("missing lock", f"{owner} ({thing.staff_id}) {_fmt(granule)} {held}"))
    return found


def orphaned_holds(snapshot: Snapshot, now: datetime, grace: timedelta = HOLD_GRACE) -> list[Violation]:
    """Unpaid holds past their expiry by more than the sweep's period, still holding their time."""
    return [
        Violation("orphaned hold", f"APPT#{a.id} lapsed at {a.hold_lapses_at:%Y-%m-%dT%H:%M:%SZ}, still pending")
        for a in snapshot.appointments.values()
        if a.hold_lapses_at is not None and a.hold_lapses_at < now - grace
    ]


def _counting(figures: Mapping[str, int | str]) -> dict[str, int | str]:
    return {name: value for name, value in figures.items() if value != 0}


def figure_drift(snapshot: Snapshot) -> list[Violation]:
    """Figures the stream built that differ from the rebuild's (`analytics.totals`), zero counters aside."""
    rebuilt = totals(snapshot.appointments.values(), snapshot.blocks.values())
    found = []
    for key in sorted(set(rebuilt) | set(snapshot.figures)):
        have, want = _counting(snapshot.figures.get(key, {})), _counting(rebuilt.get(key, {}))
        if have == want:
            continue
        names = sorted(n for n in set(have) | set(want) if have.get(n) != want.get(n))
        shown = ", ".join(f"{n}={have.get(n)} (rebuild {want.get(n)})" for n in names[:6])
        more = f" and {len(names) - 6} more" if len(names) > 6 else ""
        found.append(Violation("figure drift", f"{key[0].value}#{key[1]}: {shown}{more}"))
    return found


CHECKS: dict[str, Callable[[Snapshot, datetime], list[Violation]]] = {
    "no overlap": lambda s, now: overlaps(s),
    "no stray lock": lambda s, now: stray_locks(s),
    "no missing lock": lambda s, now: missing_locks(s),
    "no orphaned hold": orphaned_holds,
    "figures agree with a rebuild": lambda s, now: figure_drift(s),
}


def check(snapshot: Snapshot, now: datetime) -> dict[str, list[Violation]]:
    """Every invariant, by name, with its violations (an empty list when it holds)."""
    return {name: rule(snapshot, now) for name, rule in CHECKS.items()}


def scan(client: Any, table: str) -> Iterator[dict[str, Any]]:
    """Every item of the table, strongly consistent, page by page."""
    start: dict[str, Any] | None = None
    while True:
        page = client.scan(TableName=table, ConsistentRead=True, **({"ExclusiveStartKey": start} if start else {}))
        yield from page.get("Items", [])
        start = page.get("LastEvaluatedKey")
        if not start:
            return


def dynamodb(endpoint: str, region: str = "us-east-1") -> Any:
    import boto3

    return boto3.client(
        "dynamodb", endpoint_url=endpoint, region_name=region, aws_access_key_id="local", aws_secret_access_key="local"
    )


@dataclass(frozen=True)
class Settled:
    results: dict[str, list[Violation]]  # the last check's, by invariant
    scans: int
    snapshot: Snapshot  # the last scan's
    still: bool  # the last two scans read the same table: nothing was moving, so what it found is real

    @property
    def holds(self) -> bool:
        return not any(self.results.values())


def fingerprint(items: Iterable[Mapping[str, Any]]) -> str:
    """The same for the same items, in whatever order a Scan returns them."""
    return hashlib.sha256("\n".join(sorted(json.dumps(i, sort_keys=True) for i in items)).encode()).hexdigest()


def settle(client: Any, table: str, within: float = 60.0) -> Settled:
    """Check until every invariant holds, or they fail on a table that stood still, or `within` seconds pass.

    A Scan is no snapshot: a change landing between its pages (a hold the sweep lets go while the
    appointments are read and before its locks are) can look like a broken invariant once, and the
    stream's figures lag the table while its consumer catches up. Once two scans in a row read the
    same items, nothing is moving and a violation is real; before that, one that persists is.
    """
    deadline, scans, previous = time.monotonic() + within, 0, ""
    while True:
        items = list(scan(client, table))
        state = fingerprint(items)
        snapshot = Snapshot.of(items)
        results, scans = check(snapshot, datetime.now(UTC)), scans + 1
        still = state == previous
        if not any(results.values()) or still or time.monotonic() >= deadline:
            return Settled(results, scans, snapshot, still)
        previous = state
        time.sleep(0.5)  # a poll's pace, not a synchronisation: the deadline decides
