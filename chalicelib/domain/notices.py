"""Which messages a change of an appointment owes its customer or the business, and when.

A notice is written in the same transaction as the change that causes it (an outbox), so no change
can commit without its message; a relay then puts it on the queue.

An appointment's confirmation and reminders are not notices of their own: they follow from the appointment (its
status, start and reminder times) and what was sent (its stamps), so the change records only when the next one
is due (`Schedule`), on the item beside the appointment that keeps the stamps, and the relay works out which one
that is when it comes (`owed_now`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from chalicelib.domain.appointment import DEFAULT_REMINDERS, Appointment
from chalicelib.domain.errors import AppointmentClosed, IllegalTransition, InvalidInput
from chalicelib.domain.holds import Hold
from chalicelib.domain.status import Status
from chalicelib.domain.waitlist import Offer

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
    OFFER = "waitlist-offer"  # freed time held for a waiting customer (domain/waitlist.py)

    @property
    def for_business(self) -> bool:
        """A no-show is told to the business (its alert mobile, by text), not to the customer."""
        return self is Kind.NO_SHOW

    def still_wanted(self, status: Status) -> bool:
        """Never a confirmation or reminder for a cancelled or finished appointment; an offer only while open."""
        if self is Kind.OFFER:
            return status is Status.PENDING
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
    def scheduled(self) -> bool:
        """A confirmation or reminder: owed by the appointment's schedule, stamped when queued."""
        return self.kind in (Kind.CONFIRMATION, Kind.REMINDER)

    @property
    def message_id(self) -> str:
        """The same message whoever queues it and however often: delivery is deduplicated on it. A reminder's
        names its time, so a move's new reminders are new messages."""
        if self.kind is Kind.REMINDER:
            return f"{self.appointment_id}:{self.key}@{self.due_at.astimezone(UTC):%Y%m%dT%H%MZ}"
        return f"{self.appointment_id}:{self.key}"


@dataclass(frozen=True)
class Schedule:
    """When the appointment's next confirmation or reminder is due (None: nothing more), as a change sets it;
    `clear_reminder`: a move, whose reminders start again (reminderSentAt goes)."""

    due: datetime | None
    clear_reminder: bool = False


@dataclass(frozen=True)
class Plan:
    put: tuple[Notice, ...] = ()
    drop: tuple[str, ...] = ()  # keys of notices that no longer apply
    schedule: Schedule | None = None  # None: the change leaves the schedule as it is

    @property
    def immediate(self) -> tuple[Notice, ...]:
        return tuple(n for n in self.put if n.kind is not Kind.HOLD)


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


def reminder_dues(appointment: Appointment) -> list[tuple[str, datetime]]:
    """Each of the appointment's reminder times with the moment it falls due, soonest first."""
    offsets = dict.fromkeys(map(canonical_offset, appointment.reminder_offsets))
    return sorted(((o, appointment.start - timedelta(minutes=offset_minutes(o))) for o in offsets), key=lambda d: d[1])


def reminders(appointment: Appointment, now: datetime) -> list[Notice]:
    """The reminders a confirmed appointment has ahead of it: those whose moment has not passed."""
    if appointment.status is not Status.CONFIRMED:
        return []
    return [Notice(appointment.id, Kind.REMINDER, at, offset=o) for o, at in reminder_dues(appointment) if at > now]


def next_due(appointment: Appointment, now: datetime) -> datetime | None:
    """When the appointment next owes a message on its schedule: now while its confirmation is unsent, else its
    next reminder; None for an appointment not confirmed, or past."""
    if appointment.status is not Status.CONFIRMED or appointment.start <= now:
        return None
    if appointment.confirmation_sent_at is None:
        return now
    return min((at for _, at in reminder_dues(appointment) if at > now), default=None)


def owed_now(appointment: Appointment, since: datetime, now: datetime) -> Notice | None:
    """What the schedule owes at `now`, its due time being `since`: the confirmation if unsent, else the latest
    reminder due between the two and not sent yet (one: a sweep that comes late sends "in 2 hours", not also
    "tomorrow"). Reminders due before `since` were passed over when it was set (their moment had gone)."""
    if appointment.status is not Status.CONFIRMED or appointment.start <= now:
        return None
    if appointment.confirmation_sent_at is None:
        return Notice(appointment.id, Kind.CONFIRMATION, now)
    sent = appointment.reminder_sent_at
    due = [(o, at) for o, at in reminder_dues(appointment) if since <= at <= now and (sent is None or at > sent)]
    return Notice(appointment.id, Kind.REMINDER, due[-1][1], offset=due[-1][0]) if due else None


def stamped(appointment: Appointment, notice: Notice, at: datetime) -> Appointment:
    """The appointment as its stamps read once `notice` is queued at `at`."""
    if notice.kind is Kind.CONFIRMATION:
        return replace(appointment, confirmation_sent_at=at)
    return replace(appointment, reminder_sent_at=at)


def plan(before: Appointment | None, after: Appointment, now: datetime) -> Plan:
    """What a change owes: customer messages, its schedule, the expiry of a new hold, a refund."""
    owed = _messages(before, after, now)
    put, drop = list(owed.put), list(owed.drop)
    holding = after.hold_lapses_at
    if holding is not None and (before is None or before.hold_lapses_at != holding):
        put.append(Notice(after.id, Kind.HOLD, holding))
    elif holding is None and before is not None and before.hold_lapses_at is not None:
        drop.append(Kind.HOLD.value)
    if after.refund_requested > (before.refund_requested if before else 0):
        put.append(Notice(after.id, Kind.REFUND, now, amount=after.refund_requested))
    return Plan(tuple(put), tuple(drop), _schedule(before, after, now))


def _schedule(before: Appointment | None, after: Appointment, now: datetime) -> Schedule | None:
    """The schedule after the change, or None when it is as it was (nothing to write): when the next message is
    due, and whether a move cleared the reminder stamp. A due time already passed and not yet relayed is left to
    the relay, which works out from the appointment what it owes."""
    due = next_due(after, now)
    clear = before is not None and before.reminder_sent_at is not None and after.reminder_sent_at is None
    was = next_due(before, now) if before is not None else None
    return None if due == was and not clear else Schedule(due, clear)


def _messages(before: Appointment | None, after: Appointment, now: datetime) -> Plan:
    """The notices of a change: its confirmation and reminders are its schedule's (`_schedule`)."""
    if after.offer is not None and after.offer is not Offer.ACCEPTED:  # told of an offer, never of its passing
        return Plan((Notice(after.id, Kind.OFFER, now),) if before is None else ())
    if after.hold is not None and after.hold is not Hold.BOOKED:  # a hold is told to nobody, placed or released
        return Plan()
    ahead = after.start > now  # the customer hears nothing about a time already gone
    moved = Notice(after.id, Kind.RESCHEDULE, now, serial=move_serial(after)) if after.moved_from(before) else None
    moved = moved if ahead else None
    if after.status in (Status.CONFIRMED, Status.PENDING):
        return Plan((moved,) if moved else ())
    became = before is None or before.status is not after.status  # told once, not on every later change
    if after.status is Status.CANCELLED:
        told = (Notice(after.id, Kind.CANCELLATION, now, reason=after.cancelled_reason),) if became and ahead else ()
        return Plan(told)
    if after.status is Status.NO_SHOW:
        return Plan((Notice(after.id, Kind.NO_SHOW, now),) if became else ())
    return Plan()


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
