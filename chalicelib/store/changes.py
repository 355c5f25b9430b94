"""An appointment's change, written in one transaction with everything that must hold or happen with it.

The appointment (on condition that nobody changed it since it was read), its history entry, the
messages it owes (the outbox) and when its next confirmation or reminder is due, the time it takes and frees
(`occupancy`), the customer's profile on a first booking, the caller's idempotency claim, the provider event
it applies, and the staff member's revision its time was decided on: all of it commits, or none of it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.catalogue import StaffMember
from chalicelib.domain.errors import ConcurrentChange, SlotTaken
from chalicelib.domain.history import Change
from chalicelib.domain.notices import Plan
from chalicelib.domain.occupancy import CalendarDay, DayKey, holdings
from chalicelib.domain.resources import Units, assign_units, unit_days
from chalicelib.domain.webhooks import Event
from chalicelib.store import mapping, stamps, webhook_items
from chalicelib.store.catalogue_items import ResourceItem, StaffItem
from chalicelib.store.idempotency import IdempotencyClaim, Replayed
from chalicelib.store.models import (
    BUSINESS,
    AppointmentItem,
    AuditItem,
    CustomerItem,
    EventItem,
    IdempotencyItem,
    NoticeItem,
    ShareItem,
)
from chalicelib.store.occupancy import (
    Writes,
    changed_days,
    hold_time,
    revision_is,
    takes_time,
    transact,
)
from chalicelib.store.payments import EventSeen, event_item
from chalicelib.store.table import Table
from chalicelib.store.waitlist import entry_writes


class Changes:
    def __init__(self, table: Table) -> None:
        self._table = table

    def write(
        self,
        before: Appointment | None,
        after: Appointment,
        change: Change,
        claim: IdempotencyClaim | None = None,
        notices: Plan | None = None,
        event: tuple[str, str] | None = None,
        staff: Sequence[StaffMember] = (),
        units: Units | None = None,
        hooks: Sequence[Event] = (),
    ) -> Appointment:
        """One transaction for the change (see the module); time someone else holds is `SlotTaken`.

        `event` (id, type) is a provider event the change applies: claimed in the same transaction, once.
        `staff`: the staff members as the decision read them (their hours): time is taken only if
        they are unchanged since, so a change of hours and a booking are never both decided on the old.
        `units`: the resources to choose from (a room for each type needed), decided on the days as read,
        so a unit lost to a racing booking is replaced by the next free one when the days are read again.
        `hooks`: the webhook events it makes (domain/webhooks.py), written with it: the outbox of the subscriptions.
        """
        was = holdings(before.occupied, after.holder) if before else {}
        keys = changed_days(was, holdings(after.occupied, after.holder))
        if units:  # every unit it might take, and everything it holds now, which it may let go
            keys |= unit_days(units, after) | set(was)
        written: list[AppointmentItem] = []

        def build(writes: Writes, days: Mapping[DayKey, CalendarDay]) -> None:
            chosen = assign_units(after, units, days) if units else after
            will = holdings(chosen.occupied, chosen.holder)
            item = mapping.appointment_item(chosen)
            writes_of_change(writes, item, before, chosen, change, claim, notices or Plan(), event, hooks)
            hold_time(writes, days, chosen.holder, was, will)
            for member in staff if takes_time(was, will) else ():
                writes.check("staff", StaffItem, (BUSINESS, f"STAFF#{member.id}"), revision_is(member.revision))
            for unit in chosen.resources if units else ():  # never a unit retired since the catalogue was read
                writes.check("resource", ResourceItem, (BUSINESS, f"RESOURCE#{unit.id}"), ResourceItem.active == True)  # noqa: E712
            written[:] = [item]

        try:
            transact(self._table.connection, keys, build, _raise_for)
        except SlotTaken:
            if claim is not None and claim.made():  # a retried request whose first attempt took this very time
                raise Replayed() from None
            raise
        return mapping.appointment_from(written[0])


def writes_of_change(
    writes: Writes,
    item: AppointmentItem,
    before: Appointment | None,
    after: Appointment,
    change: Change,
    claim: IdempotencyClaim | None,
    notices: Plan,
    event: tuple[str, str] | None,
    hooks: Sequence[Event] = (),
) -> None:
    """Everything of a change but its time (`occupancy.hold_time`)."""
    if claim:
        writes.save("claim", claim.item(after.id), condition=IdempotencyItem.pk.does_not_exist())
    writes.save("appointment", item)  # its version attribute adds "unchanged since read" (or "new")
    audit = mapping.audit_item(change, after.version + 1)
    writes.save("audit", audit, condition=AuditItem.sk.does_not_exist())
    owes = after.owes - (before.owes if before else 0)
    if before is None:
        profile, actions = mapping.profile_update(after)
        writes.update("profile", profile, [*actions, *balance(owes)], _covers(after.terms.carried))
    elif owes:
        writes.update("profile", CustomerItem(*mapping.customer_key(after.customer_id)), balance(owes))
    for notice in notices.put:  # the outbox: no change commits without the messages it owes
        writes.save("notice", mapping.notice_item(notice))
    for key in notices.drop:
        writes.delete("notice", NoticeItem(*mapping.notice_key(after.id, key)))
    shares(writes, before, after)
    entry_writes(writes, before, after)  # an offer from the waitlist: its entry, offered, booked or waiting again
    if notices.schedule is not None:  # its confirmation and reminders: when the next is due
        writes.update("stamps", *stamps.scheduled(after.id, notices.schedule))
    if event:
        writes.save("event", event_item(*event), condition=EventItem.pk.does_not_exist())
    for hook in hooks:  # the webhook events: no change without them, none without the change
        writes.save("hook", webhook_items.event_item(hook, item))


def balance(owes: int) -> list[Action]:
    """The customer's fees owed, moved by what a change adds to them (or takes over: fees a booking carries)."""
    return [CustomerItem.owed.add(owes)] if owes else []


def _covers(carried: int) -> Condition | None:
    """A booking carries the fees owed as read: never more than are owed, so two bookings never both carry them."""
    return CustomerItem.owed >= carried if carried else None


def shares(writes: Writes, before: Appointment | None, after: Appointment) -> None:
    """A visit's entries in the other staff members' timelines: new or moved ones written, gone ones deleted."""
    was = {(i.sk, i.gsi2sk) for i in mapping.share_items(before)}
    will = mapping.share_items(after)
    for item in will:
        if (item.sk, item.gsi2sk) not in was:
            writes.save("share", item)
    for sk in {sk for sk, _ in was} - {i.sk for i in will}:
        writes.delete("share", ShareItem(f"APPT#{after.id}", sk))


def _raise_for(failed: set[str]) -> None:
    if "event" in failed:
        raise EventSeen()
    if "claim" in failed:
        raise Replayed()
    if "appointment" in failed:
        raise ConcurrentChange("The appointment was changed meanwhile; reload it and try again.")
    if "resource" in failed:
        raise ConcurrentChange("A room or piece of equipment was retired meanwhile; choose the time again.")
    if "waitlist" in failed:
        raise ConcurrentChange("The waitlist entry changed meanwhile (left, or offered another time).")
    if "profile" in failed:
        raise ConcurrentChange("The customer's fees owed changed meanwhile; please book again.")
    if "staff" in failed:
        raise ConcurrentChange(
            "The staff member's hours or the closures changed meanwhile; check the time and try again."
        )
