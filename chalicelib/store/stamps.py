"""When an appointment's confirmation and latest reminder were queued (confirmationSentAt, reminderSentAt).

The relay writes them on a small item beside the appointment (pk APPT#<id>, sk APPT#SENT, in no index), not on
the appointment: a stamp there rewrote the whole item and its four index entries (docs/cost.md). The appointment
item keeps the stamps its last change saw (items written before this item existed hold theirs only there); a
stamp on this item is newer, so it wins. Read by id, both come in one Query (`begins_with(sk, "APPT")`); a list
reads its appointments' stamps in one BatchGetItem per 100.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime
from typing import Any

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.notices import Kind
from chalicelib.domain.status import Status
from chalicelib.store.models import StampsItem

SK = "APPT#SENT"


def stamps_key(appointment_id: str) -> tuple[str, str]:
    return f"APPT#{appointment_id}", SK


def stamp(appointment_id: str, kind: Kind, at: datetime) -> tuple[StampsItem, list[Any]]:
    """The update that records a confirmation or reminder queued at `at` (the item is made on the first)."""
    attribute = StampsItem.confirmation_sent_at if kind is Kind.CONFIRMATION else StampsItem.reminder_sent_at
    return StampsItem(*stamps_key(appointment_id)), [StampsItem.kind.set(StampsItem), attribute.set(at)]


def cleared(before: Appointment | None, after: Appointment) -> tuple[StampsItem, list[Any]] | None:
    """The update a change needs when it clears the reminder stamp (a move), else None: nothing to write."""
    if before is None or before.reminder_sent_at is None or after.reminder_sent_at is not None:
        return None
    return StampsItem(*stamps_key(after.id)), [StampsItem.kind.set(StampsItem), StampsItem.reminder_sent_at.remove()]


def merged(appointment: Appointment, item: StampsItem | None) -> Appointment:
    """The appointment with its stamps: this item's where it has one, else those the appointment item kept."""
    if item is None:
        return appointment
    return replace(
        appointment,
        confirmation_sent_at=item.confirmation_sent_at or appointment.confirmation_sent_at,
        reminder_sent_at=item.reminder_sent_at or appointment.reminder_sent_at,
    )


def may_have_stamps(appointment: Appointment) -> bool:
    """Only a confirmed appointment is ever sent a confirmation or a reminder; pending ones never were."""
    return appointment.status is not Status.PENDING


def with_stamps(appointments: Iterable[Appointment], consistent: bool = False) -> list[Appointment]:
    """A list's appointments with their stamps: one BatchGetItem per 100 that may have any, none if none may."""
    listed = list(appointments)
    keys = [stamps_key(a.id) for a in listed if may_have_stamps(a)]
    found = (
        {i.pk.removeprefix("APPT#"): i for i in StampsItem.batch_get(keys, consistent_read=consistent)} if keys else {}
    )
    return [merged(a, found.get(a.id)) for a in listed]
