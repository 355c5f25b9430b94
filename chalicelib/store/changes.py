"""An appointment's change, written in one transaction with everything that must hold or happen with it.

The appointment (on condition that nobody changed it since it was read), its history entry, the
messages it owes (the outbox), the time it takes and frees (`occupancy`), the customer's profile on a
first booking, the caller's idempotency claim, the provider event it applies, and the staff member's
revision its time was decided on: all of it commits, or none of it.
"""

from __future__ import annotations

import random
import time

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.catalogue import StaffMember
from chalicelib.domain.errors import ConcurrentChange, SlotTaken
from chalicelib.domain.history import Change
from chalicelib.domain.notices import Plan
from chalicelib.store import mapping
from chalicelib.store.idempotency import IdempotencyClaim, Replayed
from chalicelib.store.models import (
    BUSINESS,
    AppointmentItem,
    AuditItem,
    EventItem,
    IdempotencyItem,
    NoticeItem,
    StaffItem,
)
from chalicelib.store.occupancy import (
    LOCK_RETENTION,
    RETRIED,
    THROTTLED,
    Writes,
    cancellation_codes,
    free,
    lock_keys,
    revision_is,
    take,
)
from chalicelib.store.payments import EventSeen, event_item
from chalicelib.store.table import Table

TRANSACTION_ATTEMPTS = 3


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
        staff: StaffMember | None = None,
    ) -> Appointment:
        """One transaction for the change (see the module); a lost race on a lock is `SlotTaken`.

        `event` (id, type) is a provider event the change applies: claimed in the same transaction, once.
        `staff` is the staff member as the decision read them (their hours): time is taken only if
        they are unchanged since, so a change of hours and a booking are never both decided on the old.
        """
        for attempt in range(TRANSACTION_ATTEMPTS):
            item = mapping.appointment_item(after)
            try:
                with TransactWrite(connection=self._table.connection) as tx:
                    writes = Writes(tx)
                    writes_of_change(writes, item, before, after, change, claim, notices or Plan(), event)
                    if staff is not None and lock_keys(after) - lock_keys(before):
                        key = (BUSINESS, f"STAFF#{staff.id}")
                        writes.check("staff", StaffItem, key, revision_is(staff.revision))
                    writes.ensure_fits()
                return mapping.appointment_from(item)
            except TransactWriteError as error:
                _raise_for(writes.failed(error))
                codes = set(cancellation_codes(error))
                last = attempt == TRANSACTION_ATTEMPTS - 1
                if not codes & RETRIED or (last and codes & THROTTLED):
                    raise  # a throttled item still throttled: the caller's 503, not a 409
                time.sleep(random.uniform(0.01, 0.05) * 2**attempt)  # back off, then retry the transaction
        raise ConcurrentChange("The appointment is busy; please try again.")


def writes_of_change(
    writes: Writes,
    item: AppointmentItem,
    before: Appointment | None,
    after: Appointment,
    change: Change,
    claim: IdempotencyClaim | None,
    notices: Plan,
    event: tuple[str, str] | None,
) -> None:
    if claim:
        writes.save("claim", claim.item(after.id), condition=IdempotencyItem.pk.does_not_exist())
    writes.save("appointment", item)  # its version attribute adds "unchanged since read" (or "new")
    audit = mapping.audit_item(change, after.version + 1)
    writes.save("audit", audit, condition=AuditItem.sk.does_not_exist())
    if before is None:
        profile, actions = mapping.profile_update(after)
        writes.update("profile", profile, actions)
    for notice in notices.put:  # the outbox: no change commits without the messages it owes
        writes.save("notice", mapping.notice_item(notice))
    for key in notices.drop:
        writes.delete("notice", NoticeItem(*mapping.notice_key(after.id, key)))
    owner = f"APPT#{after.id}"
    take(writes, lock_keys(after) - lock_keys(before), owner, after.end + LOCK_RETENTION)
    free(writes, lock_keys(before) - lock_keys(after), owner)
    if event:
        writes.save("event", event_item(*event), condition=EventItem.pk.does_not_exist())


def _raise_for(failed: set[str]) -> None:
    if "event" in failed:
        raise EventSeen()
    if "claim" in failed:
        raise Replayed()
    if "appointment" in failed:
        raise ConcurrentChange("The appointment was changed meanwhile; reload it and try again.")
    if "staff" in failed:
        raise ConcurrentChange(
            "The staff member's hours or the closures changed meanwhile; check the time and try again."
        )
    if "lock" in failed:
        raise SlotTaken("That time has just been taken; please choose another slot.")
