"""The waitlist's entries (domain/waitlist.py): one item each, in gsi4 by location while open (first come, first
offered) and in gsi1 by customer.

An entry changes with the offers made to it in the offer's own transaction (`entry_writes`, called from
store/changes.py): offered on condition that it is still waiting, booked or waiting again when the offer is
accepted or let pass, on condition that the offer is its own. So an entry never holds two offers, and an offer
never outlives a change of its entry unnoticed.
"""

from __future__ import annotations

from dataclasses import asdict, fields, replace
from datetime import UTC, date, datetime, time, timedelta

from pynamodb.exceptions import DoesNotExist, PutError, UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.errors import ConcurrentChange, NotFound
from chalicelib.domain.waitlist import Entry, Offer, Standing
from chalicelib.store.models import Item, WaitItem
from chalicelib.store.occupancy import Writes

KEPT_AFTER_WINDOW = timedelta(days=30)  # then TTL removes it


def partition(location_id: str) -> str:
    return f"WAITLIST#{location_id}" if location_id else "WAITLIST"


def _key(entry_id: str) -> tuple[str, str]:
    return f"WAIT#{entry_id}", "WAIT"


def entry_from(item: WaitItem) -> Entry:
    given: dict[str, str] = item.customer or {}
    return Entry(
        id=item.pk.removeprefix("WAIT#"),
        customer_id=item.customer_id,
        customer=CustomerInfo(*(given.get(f.name, "") for f in fields(CustomerInfo))),
        service_id=item.service_id,
        staff_id=item.staff_id or "",
        location_id=item.location_id or "",
        first_day=date.fromisoformat(item.first_day),
        last_day=date.fromisoformat(item.last_day),
        from_minute=int(item.from_minute),
        to_minute=int(item.to_minute),
        created_at=item.created_at,
        standing=Standing(item.standing),
        offer_id=item.offer_id or "",
        passed=tuple(str(start) for start in item.passed or ()),
    )


def _item(entry: Entry) -> WaitItem:
    order = f"{entry.created_at.astimezone(UTC):%Y-%m-%dT%H:%M:%S.%fZ}#{entry.id}"
    return WaitItem(
        *_key(entry.id),
        customer_id=entry.customer_id,
        customer=asdict(entry.customer),
        service_id=entry.service_id,
        staff_id=entry.staff_id or None,
        location_id=entry.location_id or None,
        first_day=entry.first_day.isoformat(),
        last_day=entry.last_day.isoformat(),
        from_minute=entry.from_minute,
        to_minute=entry.to_minute,
        created_at=entry.created_at,
        standing=entry.standing.value,
        gsi1pk=f"WAITING#{entry.customer_id}",
        gsi1sk=order,
        gsi4pk=partition(entry.location_id),
        gsi4sk=order,
        expires_at=datetime.combine(entry.last_day, time(), UTC) + KEPT_AFTER_WINDOW,
    )


class Waitlist:
    def add(self, entry: Entry) -> None:
        try:
            _item(entry).save(condition=WaitItem.pk.does_not_exist())
        except PutError as error:  # a uuid4 twice: never; say so rather than overwrite
            raise ConcurrentChange("Joining the waitlist collided; try again.") from error

    def get(self, entry_id: str) -> Entry:
        try:
            return entry_from(WaitItem.get(*_key(entry_id), consistent_read=True))
        except DoesNotExist:
            raise NotFound(f"There is no waitlist entry {entry_id!r}.") from None

    def of_customer(self, customer_id: str) -> list[Entry]:
        """Newest first: one Query."""
        found = Item.by_customer.query(f"WAITING#{customer_id}", scan_index_forward=False, limit=100)
        return [entry_from(i) for i in found if isinstance(i, WaitItem)]

    def open_at(self, location_id: str) -> list[Entry]:
        """Every open entry of a location, first come first: one Query (paged)."""
        found = Item.by_status.query(partition(location_id))
        return [entry_from(i) for i in found if isinstance(i, WaitItem)]

    def leave(self, entry: Entry) -> Entry:
        """Out of the line (and out of gsi4), on condition that no offer of it is open: that one is let go first."""
        try:
            WaitItem(*_key(entry.id)).update(
                actions=[
                    WaitItem.standing.set(Standing.LEFT.value),
                    WaitItem.gsi4pk.remove(),
                    WaitItem.gsi4sk.remove(),
                ],
                condition=WaitItem.standing == Standing.WAITING.value,
            )
        except UpdateError as error:
            raise ConcurrentChange("The entry changed meanwhile (an offer was made?); reload it.") from error
        return replace(entry, standing=Standing.LEFT)


def entry_writes(writes: Writes, before: Appointment | None, after: Appointment) -> None:
    """What an offer's change does to its entry, in the same transaction."""
    if not after.waitlist:
        return
    was = before.offer if before else None
    if was is after.offer:
        return
    key = _key(after.waitlist)
    actions: list[Action]
    condition: Condition
    if after.offer is Offer.OFFERED and before is None:
        actions = [WaitItem.standing.set(Standing.OFFERED.value), WaitItem.offer_id.set(after.id)]
        condition = WaitItem.standing == Standing.WAITING.value
    elif was is Offer.OFFERED and after.offer is Offer.ACCEPTED:
        actions = [WaitItem.standing.set(Standing.BOOKED.value), WaitItem.gsi4pk.remove(), WaitItem.gsi4sk.remove()]
        condition = WaitItem.offer_id == after.id
    elif was is Offer.OFFERED and after.offer is Offer.PASSED:
        actions = [
            WaitItem.standing.set(Standing.WAITING.value),
            WaitItem.offer_id.remove(),
            WaitItem.passed.set((WaitItem.passed | []).append([after.start.isoformat()])),  # never offered again
        ]
        condition = WaitItem.offer_id == after.id
    else:
        return
    writes.update("waitlist", WaitItem(*key), actions, condition)
