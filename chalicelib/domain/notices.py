"""Which messages a change of an appointment owes its customer or the business, and when.

A notice is written in the same transaction as the change that causes it (an outbox), so no change
can commit without its message; a relay then puts it on the queue. Reminders are notices due later.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from chalicelib.domain.appointment import DEFAULT_REMINDERS, Appointment
from chalicelib.domain.errors import AppointmentClosed, IllegalTransition, InvalidInput
from chalicelib.domain.status import Status

MAX_REMINDERS = 3
_OFFSET = re.compile(r"^(\d{1,3})(m|h|d)$")
_UNIT_MINUTES = {"m": 1, "h": 60, "d": 1440}


class Kind(StrEnum):
    CONFIRMATION = "confirmation"
    REMINDER = "reminder"
    CANCELLATION = "cancellation"
    RESCHEDULE = "reschedule"
    NO_SHOW = "no-show"
    HOLD = "hold"  # an unpaid hold's expiry: the sweep lets its time go
    REFUND = "refund"  # money owed back: for the payments queue, not a message

    @property
    def for_business(self) -> bool:
        """A no-show is told to the business (its alert mobile, by text), not to the customer."""
        return self is Kind.NO_SHOW

    def still_wanted(self, status: Status) -> bool:
        """Never a confirmation or reminder for a cancelled or finished appointment."""
        return status is Status.CONFIRMED or self not in (Kind.CONFIRMATION, Kind.REMINDER)


def offset_minutes(offset: str) -> int:
    match = _OFFSET.match(offset) if isinstance(offset, str) else None
    minutes = int(match.group(1)) * _UNIT_MINUTES[match.group(2)] if match else 0
    if not 5 <= minutes <= 7 * 1440:
        raise InvalidInput(
            f"{offset!r} is not a reminder time like '24h', '2h' or '30m'.", {"reminderTimes": "invalid"}
        )
    return minutes


def canonical_offset(offset: str) -> str:
    """One spelling per offset: '1d', '24h' and '024h' are all '24h'; '120m' is '2h'; '90m' stays '90m'."""
    minutes = offset_minutes(offset)
    return f"{minutes // 60}h" if minutes % 60 == 0 else f"{minutes}m"


def reminder_offsets(raw: object) -> tuple[str, ...]:
    if not isinstance(raw, list) or len(raw) > MAX_REMINDERS:
        raise InvalidInput(
            f"reminderTimes must be a list of at most {MAX_REMINDERS} times.", {"reminderTimes": "invalid"}
        )
    return tuple(dict.fromkeys(canonical_offset(offset) for offset in raw))


def owed_reminder(appointment: Appointment, offset: str) -> str:
    """A reminder the appointment itself has (one of its reminder times), in its one spelling."""
    canonical = canonical_offset(offset)
    own = tuple(dict.fromkeys(canonical_offset(o) for o in appointment.reminder_offsets))
    if canonical not in own:
        raise InvalidInput(
            f"This appointment's reminders are {', '.join(own) or 'none'} before it; type must be one of them.",
            {"type": "not one of this appointment's reminder times"},
        )
    return canonical


@dataclass(frozen=True)
class Notice:
    appointment_id: str
    kind: Kind
    due_at: datetime
    offset: str = ""  # reminders: "24h", "2h"...
    reason: str = ""
    serial: int = 0  # a reschedule's moment (ms), so each move has its own notice, and one only
    amount: int = 0  # a refund, in minor units

    @property
    def key(self) -> str:
        """Unique per appointment: one confirmation, one reminder per offset, one notice per move."""
        suffix = self.offset if self.kind is Kind.REMINDER else (f"{self.serial:x}" if self.serial else "")
        return f"{self.kind.value}#{suffix}" if suffix else self.kind.value

    @property
    def stamps_appointment(self) -> bool:
        """Queuing it is recorded as the appointment's (confirmationSentAt, reminderSentAt)."""
        return self.kind in (Kind.CONFIRMATION, Kind.REMINDER)

    @property
    def message_id(self) -> str:
        """The same message whoever queues it and however often: delivery is deduplicated on it."""
        return f"{self.appointment_id}:{self.key}"


@dataclass(frozen=True)
class Plan:
    put: tuple[Notice, ...] = ()
    drop: tuple[str, ...] = ()  # keys of reminders that no longer apply

    @property
    def immediate(self) -> tuple[Notice, ...]:
        return tuple(n for n in self.put if n.kind not in (Kind.REMINDER, Kind.HOLD))


def move_serial(appointment: Appointment) -> int:
    """Which move a reschedule notice is about: the same number whoever asks and whatever changed since."""
    moved = appointment.rescheduled_at
    return int(moved.timestamp() * 1000) if moved else 0


def owed(appointment: Appointment, kind: Kind, offset: str, now: datetime) -> Notice:
    """The message the seed's explicit endpoints may send again: the very one the appointment owes, and
    nothing about a time already gone. A reminder is only ever sent at its own time, by the outbox: asked for
    before, the answer says when; after, it is refused."""
    if kind in (Kind.CONFIRMATION, Kind.REMINDER) and appointment.status.is_final:
        raise AppointmentClosed(f"The appointment is {appointment.status.value}; nothing to confirm or remind.")
    if kind is Kind.CANCELLATION and appointment.status is not Status.CANCELLED:
        raise IllegalTransition("The appointment is not cancelled: cancel it first (PUT .../cancel).")
    if kind is Kind.RESCHEDULE and appointment.rescheduled_at is None:
        raise IllegalTransition("The appointment has not been moved: reschedule it first (PUT .../reschedule).")
    if kind not in (Kind.CONFIRMATION, Kind.REMINDER, Kind.CANCELLATION, Kind.RESCHEDULE):
        raise InvalidInput(f"{kind.value} is not a message a client may ask for.")
    if appointment.start <= now:
        raise AppointmentClosed("The appointment's time has passed; there is nothing to tell the customer.")
    if kind is Kind.REMINDER:
        offset = owed_reminder(appointment, offset)
        due = appointment.start - timedelta(minutes=offset_minutes(offset))
        if due <= now:  # sent then, or never owed (its time had passed when it was set): a text would be untrue
            raise IllegalTransition(f"The {offset} reminder was due at {due.isoformat()}; reminders go at their time.")
        return Notice(appointment.id, kind, due, offset=offset)
    serial = move_serial(appointment) if kind is Kind.RESCHEDULE else 0
    return Notice(appointment.id, kind, now, reason=appointment.cancelled_reason, serial=serial)


def reminders(appointment: Appointment, offsets: tuple[str, ...], now: datetime) -> list[Notice]:
    """One per offset, skipped when its moment has already passed."""
    due = ((o, appointment.start - timedelta(minutes=offset_minutes(o))) for o in map(canonical_offset, offsets))
    return [Notice(appointment.id, Kind.REMINDER, at, offset=o) for o, at in due if at > now]


def plan(before: Appointment | None, after: Appointment, now: datetime) -> Plan:
    """What a change owes: customer messages, the expiry of a new hold, a refund."""
    owed = _messages(before, after, now)
    put, drop = list(owed.put), list(owed.drop)
    holding = after.hold_lapses_at
    if holding is not None and (before is None or before.hold_lapses_at != holding):
        put.append(Notice(after.id, Kind.HOLD, holding))
    elif holding is None and before is not None and before.hold_lapses_at is not None:
        drop.append(Kind.HOLD.value)
    if after.refund_requested > (before.refund_requested if before else 0):
        put.append(Notice(after.id, Kind.REFUND, now, amount=after.refund_requested))
    return Plan(tuple(put), tuple(drop))


def waiting_reminders(before: Appointment | None, now: datetime) -> tuple[str, ...]:
    """The keys of the reminders a confirmed appointment may still have in the outbox: all but those due by its
    `reminder_sent_at` (the sweep relays them in the order they fall due, and stamps each): deleting a notice that
    is not there still costs a write."""
    if before is None or before.status is not Status.CONFIRMED:
        return ()
    written = before.reminder_offsets
    known = dict.fromkeys((*written, *map(canonical_offset, written)))  # as stored before one spelling, and now
    sent = before.reminder_sent_at
    waiting = (o for o in known if sent is None or before.start - timedelta(minutes=offset_minutes(o)) > sent)
    return tuple(Notice(before.id, Kind.REMINDER, now, offset=o).key for o in waiting)


def _messages(before: Appointment | None, after: Appointment, now: datetime) -> Plan:
    offsets = after.reminder_offsets
    every_reminder = waiting_reminders(before, now)
    ahead = after.start > now  # the customer hears nothing about a time already gone
    moved = Notice(after.id, Kind.RESCHEDULE, now, serial=move_serial(after)) if after.moved_from(before) else None
    moved = moved if ahead else None
    if after.status is Status.CONFIRMED:
        due = reminders(after, offsets, now)
        kept = {n.key for n in due}
        puts: list[Notice] = []
        if (before is None or before.status is not Status.CONFIRMED) and ahead:
            puts.append(Notice(after.id, Kind.CONFIRMATION, now))
        if moved:
            puts.append(moved)
        return Plan(tuple(puts + due), tuple(k for k in every_reminder if k not in kept))
    became = before is None or before.status is not after.status  # told once, not on every later change
    if after.status is Status.CANCELLED:
        told = (Notice(after.id, Kind.CANCELLATION, now, reason=after.cancelled_reason),) if became and ahead else ()
        return Plan(told, every_reminder)
    if after.status is Status.NO_SHOW:
        return Plan((Notice(after.id, Kind.NO_SHOW, now),) if became else (), every_reminder)
    if after.status is Status.PENDING and moved:
        return Plan((moved,), ())
    return Plan((), every_reminder)


LOCALES = ("zh-CN", "en")


@dataclass(frozen=True)
class Preferences:
    """How a customer wants to hear from the business; sms and push unless they say otherwise."""

    sms: bool = True
    email: bool = False
    push: bool = True
    reminder_times: tuple[str, ...] = DEFAULT_REMINDERS
    locale: str = "zh-CN"
    openid: str | None = None

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(c for c in ("sms", "email", "push") if getattr(self, c))
