"""Occupancy: the write that makes double booking impossible.

An appointment or a block holds one lock item per 5-minute granule of a calendar; a booking's transaction
puts each lock on condition that nobody holds it, so of two overlapping bookings only one can commit.
`Writes` keeps each write's role, so a cancelled transaction says which condition failed.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import TransactWriteError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action
from pynamodb.transactions import TransactWrite

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.catalogue import StaffMember
from chalicelib.domain.errors import InvalidInput
from chalicelib.store.models import BUSINESS, Item, LockItem, StaffItem

LOCK_RETENTION = timedelta(days=30)
MAX_TRANSACTION_ITEMS = 100
THROTTLED = {"ThrottlingError", "ProvisionedThroughputExceeded"}  # why one item of a transaction may be refused
RETRIED = {"TransactionConflict", *THROTTLED}


def lock_sk(granule: datetime) -> str:
    return f"LOCK#{granule.astimezone(UTC):%Y-%m-%dT%H:%MZ}"


def lock_keys(appt: Appointment | None) -> set[tuple[str, str]]:
    """The locks an appointment holds: all its granules while it is open, none once final."""
    if appt is None or appt.status.is_final:
        return set()
    return granule_keys(appt.staff_id, appt.locked_granules)


def granule_keys(staff_id: str, granules: Iterable[datetime]) -> set[tuple[str, str]]:
    return {(f"STAFF#{staff_id}", lock_sk(g)) for g in granules}


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

    def ensure_fits(self) -> None:
        """DynamoDB takes at most 100 items in a transaction; past that, nothing is sent and nothing changes."""
        if len(self._checks) + len(self._deletes) + len(self._puts) + len(self._updates) > MAX_TRANSACTION_ITEMS:
            raise InvalidInput(
                "This change would touch too much at once (an appointment this long cannot be moved); "
                "cancel it and make a shorter one.",
                {"duration": "too long"},
            )

    def failed(self, error: TransactWriteError) -> set[str]:
        """The roles of the writes whose condition failed."""
        roles = self._checks + self._deletes + self._puts + self._updates
        return {
            role
            for role, code in zip(roles, cancellation_codes(error), strict=False)
            if code == "ConditionalCheckFailed"
        }


def take(writes: Writes, keys: Iterable[tuple[str, str]], owner: str, expires: datetime) -> None:
    """Locks nobody holds, or the transaction fails: this is what makes double booking impossible."""
    for pk, sk in sorted(keys):
        lock = LockItem(pk, sk, owner=owner, expires_at=expires)
        writes.save("lock", lock, condition=LockItem.pk.does_not_exist())


def free(writes: Writes, keys: Iterable[tuple[str, str]], owner: str) -> None:
    """Only the owner's own locks (or ones already gone)."""
    for pk, sk in sorted(keys):
        writes.delete("lock", LockItem(pk, sk), condition=LockItem.pk.does_not_exist() | (LockItem.owner == owner))


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
