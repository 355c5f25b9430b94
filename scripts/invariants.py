"""The table's invariants, checked from outside after the fact (a soak, a test, an operator).

Each check takes a `Snapshot` of the whole table and returns the violations it finds, so a test can
plant one and see it named. Taking the snapshot is a Scan: a checker's job, never a request path.

- no overlap: two open appointments (or an open appointment and a block) never share time on a calendar
  they both occupy, buffers included;
- no stray hold: every interval a calendar day holds belongs to an appointment or block that exists, is
  open (a block always is) and occupies exactly that;
- no missing hold: every open appointment and every block is held on each calendar day it occupies;
- no orphaned hold: an unpaid hold past its expiry (plus the sweep's period) has been let go;
- offers are held for their customer alone: no time offered to a waiting customer is booked by anyone else, and
  each open offer is the one its waitlist entry names (an entry never holds two);
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
from chalicelib.domain.occupancy import Hold, holdings
from chalicelib.domain.waitlist import Entry, Standing
from chalicelib.store.figures import CUSTOMER_STATS, STATS, from_image
from chalicelib.store.models import WaitItem
from chalicelib.store.waitlist import entry_from

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
    days: dict[tuple[str, date], list[Hold]] = field(default_factory=dict)  # (calendar, UTC day) -> its holds
    figures: dict[str, Days] = field(default_factory=dict)  # each location's ("" the business's own)
    entries: dict[str, Entry] = field(default_factory=dict)  # the waitlist's

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
            elif kind == "wait":
                entry = entry_from(WaitItem.from_raw_data(dict(raw)))
                snapshot.entries[entry.id] = entry
            elif kind == "calendar_day":
                calendar, day = raw["pk"]["S"].removeprefix("CAL#"), date.fromisoformat(raw["sk"]["S"][4:])
                midnight = datetime.combine(day, datetime.min.time(), UTC)
                snapshot.days[(calendar, day)] = [
                    Hold(midnight + timedelta(minutes=start), midnight + timedelta(minutes=end), owner)
                    for start, end, owner in json.loads(raw.get("holds", {}).get("S", "[]"))
                ]
            elif raw["pk"]["S"].split("#")[0] in (STATS, CUSTOMER_STATS) and kind == "figures":
                place = raw["pk"]["S"].partition("#")[2]
                bucket, day, *customer = raw["sk"]["S"].split("#", 2)  # a customer's own item: CUST#<day>#<id>
                prefix = f"{customer[0]}:" if customer else ""
                figures = snapshot.figures.setdefault(place, {}).setdefault(
                    (Bucket(bucket), date.fromisoformat(day)), {}
                )
                for name, value in _figures(raw).items():
                    figures[prefix + name] = (
                        int(figures.get(prefix + name, 0)) + value if isinstance(value, int) else value
                    )
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


def overlaps(snapshot: Snapshot) -> list[Violation]:
    """Open appointments and blocks whose occupied times intersect on a calendar they share."""
    by_calendar: dict[str, list[tuple[datetime, datetime, str]]] = {}
    for thing in _holders(snapshot):
        for calendar, intervals in thing.occupied.items():
            by_calendar.setdefault(calendar, []).extend((start, end, thing.holder) for start, end in intervals)
    found = []
    for calendar, taken in sorted(by_calendar.items()):
        running: list[tuple[datetime, str]] = []  # (end, holder) of those started so far
        for start, end, holder in sorted(taken):
            running = [(e, h) for e, h in running if e > start]
            for other_end, other in running:
                detail = f"{calendar}: {other} until {_fmt(other_end)} and {holder} from {_fmt(start)}"
                found.append(Violation("overlap", detail))
            running.append((end, holder))
    return found


def _holders(snapshot: Snapshot) -> list[Appointment | Block]:
    """What holds time: open appointments, and blocks."""
    return [*snapshot.open_appointments(), *snapshot.blocks.values()]


def _holder(snapshot: Snapshot, owner: str) -> Appointment | Block | None:
    kind, _, owner_id = owner.partition("#")
    if kind == "BLOCK":
        return snapshot.blocks.get(owner_id)
    return snapshot.appointments.get(owner_id) if kind == "APPT" else None


def _held(hold: Hold) -> str:
    return f"{_fmt(hold.start)}-{_fmt(hold.end)}"


def stray_holds(snapshot: Snapshot) -> list[Violation]:
    """Held time whose owner is gone or final, or does not occupy exactly that interval of that calendar."""
    found = []
    for (calendar, day), holds in sorted(snapshot.days.items()):
        for hold in holds:
            thing = _holder(snapshot, hold.owner)
            where = f"{calendar} {_held(hold)} held by {hold.owner or '(nobody)'}"
            if thing is None:
                found.append(Violation("stray hold", f"{where}, which does not exist"))
            elif isinstance(thing, Appointment) and thing.status.is_final:
                found.append(Violation("stray hold", f"{where}, which is {thing.status.value}"))
            elif hold not in holdings(thing.occupied, thing.holder).get((calendar, day), []):
                found.append(Violation("stray hold", f"{where}, which does not occupy it"))
    return found


def missing_holds(snapshot: Snapshot) -> list[Violation]:
    """Open appointments and blocks not held on a calendar day they occupy."""
    found = []
    for thing in _holders(snapshot):
        for (calendar, day), wanted in sorted(holdings(thing.occupied, thing.holder).items()):
            held = snapshot.days.get((calendar, day), [])
            for hold in wanted:
                if hold not in held:
                    found.append(Violation("missing hold", f"{thing.holder} ({calendar}) {_held(hold)} not held"))
    return found


def orphaned_holds(snapshot: Snapshot, now: datetime, grace: timedelta = HOLD_GRACE) -> list[Violation]:
    """Unpaid holds past their expiry by more than the sweep's period, still holding their time."""
    return [
        Violation("orphaned hold", f"APPT#{a.id} lapsed at {a.hold_lapses_at:%Y-%m-%dT%H:%M:%SZ}, still pending")
        for a in snapshot.appointments.values()
        if a.hold_lapses_at is not None and a.hold_lapses_at < now - grace
    ]


def offers(snapshot: Snapshot) -> list[Violation]:
    """Time offered to a waiting customer and taken by anyone else on a calendar the offer holds; an open offer its
    entry does not name, or an entry naming an offer that is not open."""
    found = []
    held = [a for a in snapshot.open_appointments() if a.is_offer]
    for offer in held:
        for other in _holders(snapshot):
            shared = set(offer.occupied) & set(other.occupied)
            if other.holder != offer.holder and any(
                s < e2 and s2 < e
                for calendar in shared
                for s, e in offer.occupied[calendar]
                for s2, e2 in other.occupied[calendar]
            ):
                found.append(Violation("offered and taken", f"{offer.holder} offered, {other.holder} meanwhile"))
        entry = snapshot.entries.get(offer.waitlist)
        if entry is None or entry.offer_id != offer.id:
            found.append(Violation("offer without its entry", f"{offer.holder} for WAIT#{offer.waitlist}"))
    open_offers = {a.id for a in held}
    for entry in snapshot.entries.values():  # a booked entry keeps naming the offer it booked
        if entry.standing is Standing.OFFERED and entry.offer_id not in open_offers:
            found.append(Violation("entry offered no open offer", f"WAIT#{entry.id} names APPT#{entry.offer_id}"))
    return found


def _counting(figures: Mapping[str, int | str]) -> dict[str, int | str]:
    return {name: value for name, value in figures.items() if value != 0}


def figure_drift(snapshot: Snapshot) -> list[Violation]:
    """Figures the stream built that differ from the rebuild's (`analytics.totals`), zero counters aside: each
    location's partition against its own appointments (blocks count at the business's own)."""
    found = []
    places = {"", *snapshot.figures, *(a.location_id for a in snapshot.appointments.values())}
    for place in sorted(places):
        mine = [a for a in snapshot.appointments.values() if a.location_id == place]
        rebuilt = totals(mine, snapshot.blocks.values() if not place else [])
        built = snapshot.figures.get(place, {})
        for key in sorted(set(rebuilt) | set(built)):
            have, want = _counting(built.get(key, {})), _counting(rebuilt.get(key, {}))
            if have == want:
                continue
            names = sorted(n for n in set(have) | set(want) if have.get(n) != want.get(n))
            shown = ", ".join(f"{n}={have.get(n)} (rebuild {want.get(n)})" for n in names[:6])
            more = f" and {len(names) - 6} more" if len(names) > 6 else ""
            found.append(Violation("figure drift", f"{place or 'main'} {key[0].value}#{key[1]}: {shown}{more}"))
    return found


CHECKS: dict[str, Callable[[Snapshot, datetime], list[Violation]]] = {
    "no overlap": lambda s, now: overlaps(s),
    "no stray hold": lambda s, now: stray_holds(s),
    "no missing hold": lambda s, now: missing_holds(s),
    "no orphaned hold": orphaned_holds,
    "offers held for their customer alone": lambda s, now: offers(s),
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
    lines = sorted(json.dumps(i, sort_keys=True, default=_plain) for i in items)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()


def _plain(value: object) -> str:
    """A binary attribute (a webhook event's compressed snapshot) as text."""
    if isinstance(value, bytes | bytearray):
        return value.hex()
    raise TypeError(f"{type(value).__name__} in an item")


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
