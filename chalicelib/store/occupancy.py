"""Occupancy: the write that makes double booking impossible.

Each calendar's time is one item per UTC day (`CalendarDayItem`) listing the intervals taken that day.
A change that takes or frees time reads the days it touches (strongly consistent), checks in the domain
that nobody else holds what it wants (`CalendarDay.clash`), and writes each day in its transaction on
condition that the day's revision is the one read. Of two changes that want overlapping time on one
calendar, both write that calendar's day, so only one can commit; the other reads again, finds the time
taken, and answers 409. A change that lost only a race for an unchanged stretch of the day reads again
and commits. The transaction's size depends on the calendars and days touched, not on the duration.

`Writes` keeps each write's role, so a cancelled transaction says which condition failed.
"""

from __future__ import annotations

import random
import time as clock
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.domain.catalogue import StaffMember
from chalicelib.domain.errors import ConcurrentChange, InvalidInput, SlotTaken
from chalicelib.domain.occupancy import CalendarDay, DayKey, Hold, Holdings
from chalicelib.store.catalogue_items import StaffItem
from chalicelib.store.models import BUSINESS, CalendarDayItem, Item

DAY_RETENTION = timedelta(days=30)  # a day's record outlives the day by this much (TTL)
MAX_TRANSACTION_ITEMS = 100
THROTTLED = {"ThrottlingError", "ProvisionedThroughputExceeded"}  # why one item of a transaction may be refused
RETRIED = {"TransactionConflict", *THROTTLED}
ATTEMPTS = 40  # each lost attempt means another change committed on the same days: contention, not a failure
THROTTLED_ATTEMPTS = 3


def _key(calendar: str, day: date) -> tuple[str, str]:
    return f"CAL#{calendar}", f"DAY#{day.isoformat()}"


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def day_from(item: CalendarDayItem) -> CalendarDay:
    calendar, day = item.pk.removeprefix("CAL#"), date.fromisoformat(item.sk.removeprefix("DAY#"))
    midnight = _midnight(day)
    holds = tuple(
        Hold(midnight + timedelta(minutes=start), midnight + timedelta(minutes=end), owner)
        for start, end, owner in item.holds
    )
    return CalendarDay(calendar, day, holds, int(item.revision or 0))


def day_item(day: CalendarDay, revision: int) -> CalendarDayItem:
    midnight = _midnight(day.day)

    def minutes(at: datetime) -> int:
        return int((at - midnight).total_seconds() // 60)

    item = CalendarDayItem(*_key(day.calendar, day.day), revision=revision)
    item.holds = [[minutes(h.start), minutes(h.end), h.owner] for h in day.holds]
    item.expires_at = _midnight(day.day) + timedelta(days=1) + DAY_RETENTION
    return item


def read_days(keys: Iterable[DayKey]) -> dict[DayKey, CalendarDay]:
    """The days as committed (one consistent BatchGetItem per 100); a day never written is empty."""
    wanted = sorted(set(keys))
    found = {
        (d.calendar, d.day): d
        for d in map(day_from, CalendarDayItem.batch_get([_key(*k) for k in wanted], consistent_read=True))
    }
    return {k: found.get(k, CalendarDay(*k)) for k in wanted}


def days_of(calendar: str, start: datetime, end: datetime) -> list[CalendarDay]:
    """A calendar's days that [start, end) touches, as committed: one consistent Query."""
    first, last = _key(calendar, start.astimezone(UTC).date()), _key(calendar, end.astimezone(UTC).date())
    query = CalendarDayItem.query(first[0], CalendarDayItem.sk.between(first[1], last[1]), consistent_read=True)
    return [day_from(item) for item in query]


class _NothingToWrite(Exception):
    """Everything is as wanted already: no transaction to send (DynamoDB refuses an empty one)."""


class Writes:
    """A transaction's writes, each with what it is for.

    DynamoDB reports why a transaction was cancelled item by item, by position; pynamodb sends the
    condition checks first, then the deletes, the puts and the updates, whatever order they were written in. So a
    failure is read back by role, never by position.
    """

    def __init__(self, tx: TransactWrite) -> None:
        self.tx = tx
        self._checks: list[str] = []
        self._deletes: list[str] = []
        self._puts: list[str] = []
        self._updates: list[str] = []

    def check(self, role: str, model: type[Item], key: tuple[str, str], condition: Condition) -> None:
        self.tx.condition_check(model, *key, condition=condition)
        self._checks.append(role)

    def save(self, role: str, model: Item, condition: Condition | None = None) -> None:
        self.tx.save(model, condition=condition)
        self._puts.append(role)

    def delete(self, role: str, model: Item, condition: Condition | None = None) -> None:
        self.tx.delete(model, condition=condition)
        self._deletes.append(role)

    def update(self, role: str, model: Item, actions: list[Action], condition: Condition | None = None) -> None:
        self.tx.update(model, actions=actions, condition=condition)
        self._updates.append(role)

    @property
    def empty(self) -> bool:
        return not (self._checks or self._deletes or self._puts or self._updates)

    def ensure_fits(self) -> None:
        """DynamoDB takes at most 100 items in a transaction; past that, nothing is sent and nothing changes."""
        if len(self._checks) + len(self._deletes) + len(self._puts) + len(self._updates) > MAX_TRANSACTION_ITEMS:
            raise InvalidInput("This change would touch too much at once.", {"duration": "too long"})

    def failed(self, error: TransactWriteError) -> set[str]:
        """The roles of the writes whose condition failed."""
        roles = self._checks + self._deletes + self._puts + self._updates
        return {
            role
            for role, code in zip(roles, cancellation_codes(error), strict=False)
            if code == "ConditionalCheckFailed"
        }


def hold_time(
    writes: Writes, read: Mapping[DayKey, CalendarDay], owner: str, before: Holdings, after: Holdings
) -> None:
    """The owner's time moved from `before` to `after`, on every day where it changes: each day written on
    condition that it is as read. Time someone else holds is `SlotTaken`, naming the calendar."""
    for key in sorted(changed_days(before, after)):
        wanted: Sequence[Hold] = after.get(key, ())
        day = read[key]
        taken = day.clash(wanted)
        if taken is not None:
            raise SlotTaken(
                "That time has just been taken; please choose another slot.",
                {"calendar": day.calendar},
                (taken.start, taken.end),
            )
        condition = CalendarDayItem.revision == day.revision if day.revision else CalendarDayItem.pk.does_not_exist()
        writes.save("calendar", day_item(day.with_holds(owner, wanted), day.revision + 1), condition=condition)


def changed_days(before: Holdings, after: Holdings) -> set[DayKey]:
    return {k for k in set(before) | set(after) if sorted(before.get(k, ())) != sorted(after.get(k, ()))}


def takes_time(before: Holdings, after: Holdings) -> bool:
    """Whether the change holds any time it did not hold before (freeing time takes none)."""
    return any(set(after[k]) - set(before.get(k, ())) for k in after)


def transact(
    connection: Connection,
    days: Iterable[DayKey],
    build: Callable[[Writes, Mapping[DayKey, CalendarDay]], None],
    raise_for: Callable[[set[str]], None],
) -> None:
    """Read the days, build the transaction on them, commit it; when a day changed meanwhile (another change
    committed on it) or the transaction collided with another, read again and build again.

    `raise_for` turns the roles whose condition failed into the caller's errors; a calendar day that changed
    is never an error by itself: the next build sees what changed, and `hold_time` says if the time is gone.
    """
    keys = set(days)
    for attempt in range(ATTEMPTS):
        read = read_days(keys) if keys else {}
        try:
            with TransactWrite(connection=connection) as tx:
                writes = Writes(tx)
                build(writes, read)
                writes.ensure_fits()
                if writes.empty:
                    raise _NothingToWrite
            return
        except _NothingToWrite:
            return
        except TransactWriteError as error:
            raise_for(writes.failed(error) - {"calendar"})
            codes = set(cancellation_codes(error))
            if codes & THROTTLED and attempt >= THROTTLED_ATTEMPTS - 1:
                raise  # a throttled item still throttled: the caller's 503, not a 409
            if "calendar" not in writes.failed(error) and not codes & RETRIED:
                raise
            clock.sleep(random.uniform(0.005, 0.02) * min(2**attempt, 32))  # back off, then read and build again
    raise ConcurrentChange("That time is much in demand just now; please try again.")


def new_revisions(tx: TransactWrite, staff: Iterable[StaffMember]) -> None:
    for member in staff:
        tx.update(
            StaffItem(BUSINESS, f"STAFF#{member.id}"),
            actions=[StaffItem.revision.add(1)],
            condition=StaffItem.pk.exists(),
        )


def revision_is(revision: int) -> Condition:
    """The staff item as a decision read it (items older than revisions have none: revision 0)."""
    same = StaffItem.revision == revision
    return same | StaffItem.revision.does_not_exist() if revision == 0 else same


def cancellation_codes(error: TransactWriteError) -> list[str | None]:
    """Why a transaction was cancelled, item by item, in the order pynamodb sent the items."""
    return [r.code if r else None for r in (error.cancellation_reasons or [])]
