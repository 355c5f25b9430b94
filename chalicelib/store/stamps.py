"""When an appointment's confirmation and latest reminder were queued (confirmationSentAt, reminderSentAt), and
when its schedule is next due (domain/notices.py's `Schedule`).

A small item beside the appointment (pk APPT#<id>, sk APPT#SENT), not the appointment: a stamp there rewrote the
whole item and its four index entries (docs/cost.md). While a message is owed, the item is in the sparse gsi5
(`DUE` / `<due time>#<id>#schedule`), where the sweep finds it. The change that sets the schedule writes it in
its transaction; the relay that queues the message stamps it and sets the next due time in one conditional
update. The appointment item keeps the stamps its last change saw (items written before this item existed hold
theirs only there); a stamp on this item is newer, so it wins. Read by id, both come in one Query
(`begins_with(sk, "APPT")`); a list reads its appointments' stamps in one BatchGetItem per 100.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, datetime

from pynamodb.expressions.update import Action

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.notices import Kind, Notice, Schedule
from chalicelib.domain.status import Status
from chalicelib.store.mapping import timeline_key
from chalicelib.store.models import StampsItem

SK = "APPT#SENT"


def stamps_key(appointment_id: str) -> tuple[str, str]:
    return f"APPT#{appointment_id}", SK


def due_key(appointment_id: str, due: datetime) -> str:
    """The schedule's sort key in gsi5: due time first, so the sweep reads what is due by now."""
    return f"{timeline_key(due)}#{appointment_id}#schedule"


def due_of(key: str) -> datetime:
    return datetime.strptime(key.split("#", 1)[0], "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)


def scheduled(appointment_id: str, schedule: Schedule) -> tuple[StampsItem, list[Action]]:
    """The update a change makes when it sets the schedule: its due time in gsi5 (or out of it), and a move's
    reminder stamp cleared."""
    actions = [StampsItem.kind.set(StampsItem), *_due(appointment_id, schedule.due)]
    if schedule.clear_reminder:
        actions.append(StampsItem.reminder_sent_at.remove())
    return StampsItem(*stamps_key(appointment_id)), actions


def sent(
    appointment_id: str, notice: Notice | None, next_due: datetime | None, at: datetime
) -> tuple[StampsItem, list[Action]]:
    """The update a relay makes: the message queued at `at` stamped, and the next due time."""
    actions = _due(appointment_id, next_due)
    if notice is not None:
        attribute = StampsItem.confirmation_sent_at if notice.kind is Kind.CONFIRMATION else StampsItem.reminder_sent_at
        actions.append(attribute.set(at))
    return StampsItem(*stamps_key(appointment_id)), actions


def _due(appointment_id: str, due: datetime | None) -> list[Action]:
    if due is None:
        return [StampsItem.gsi5pk.remove(), StampsItem.gsi5sk.remove()]
    return [StampsItem.gsi5pk.set("DUE"), StampsItem.gsi5sk.set(due_key(appointment_id, due))]


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
