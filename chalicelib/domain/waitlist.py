"""The waitlist: customers waiting for a service at a time that is taken, offered time when it is freed.

A customer waits for a service (with a staff member, or any) in a window of days and hours of the day. When time
is freed (a cancellation, a hold let go, a move away, a block removed), the first waiting customer whose window
and service fit is offered a slot in it: the offer is an appointment of theirs, `pending`, that holds the time on
its calendars as every appointment does (nobody else can book it) until `hold_expires_at`. They accept it by
booking it (the deposit rules apply) or let it pass (cancel it, or let it lapse); then the time is freed again and
the next in line is offered. An entry lapses at the end of its window.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from chalicelib.domain.availability import Slot
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.hours import format_hhmm

MAX_WAITING = 5  # entries a customer waits on at once
MAX_OFFERS_AT_ONCE = 5  # offers made for one freed stretch of time, each to the next in line


class Offer(StrEnum):
    """Where an appointment made from the waitlist stands."""

    OFFERED = "offered"  # its time held for the customer until they book it or let it pass
    ACCEPTED = "accepted"  # booked: an appointment like any other
    PASSED = "passed"  # let go or lapsed: its time went to the next in line


class Standing(StrEnum):
    WAITING = "waiting"
    OFFERED = "offered"  # an offer of theirs is open
    BOOKED = "booked"
    LEFT = "left"
    LAPSED = "lapsed"  # its window ended


@dataclass(frozen=True)
class Entry:
    id: str
    customer_id: str
    customer: CustomerInfo
    service_id: str
    staff_id: str  # "" for any staff member who performs it
    location_id: str  # as stored: "" the business's own
    first_day: date
    last_day: date
    from_minute: int  # of the day, on the location's clock
    to_minute: int
    created_at: datetime
    standing: Standing = Standing.WAITING
    offer_id: str = ""  # its open offer's appointment
    passed: tuple[str, ...] = field(default=())  # the starts (UTC ISO) of offers it let pass: never offered again

    @classmethod
    def join(
        cls,
        customer_id: str,
        customer: CustomerInfo,
        service_id: str,
        staff_id: str,
        location_id: str,
        days: tuple[date, date],
        minutes: tuple[int, int],
        now: datetime,
    ) -> Entry:
        first, last = days
        if last < first:
            raise InvalidInput("The window ends before it starts.", {"toDate": "before fromDate"})
        if minutes[1] <= minutes[0]:
            raise InvalidInput("The hours end before they start.", {"toTime": "not after fromTime"})
        return cls(
            uuid.uuid4().hex, customer_id, customer, service_id, staff_id, location_id, first, last, *minutes, now
        )

    def standing_on(self, today: date) -> Standing:
        """Lapsed once the last day of its window is gone, unless it ended otherwise first."""
        if self.standing in (Standing.WAITING, Standing.OFFERED) and self.last_day < today:
            return Standing.LAPSED
        return self.standing

    @property
    def is_open(self) -> bool:
        return self.standing in (Standing.WAITING, Standing.OFFERED)

    def wants(self, service_id: str, staff_id: str, slot: Slot, zone: ZoneInfo) -> bool:
        """Whether an offer of this slot fits: its service, its staff member (or any), inside its window, and not
        a time it let pass before."""
        start, end = slot.start.astimezone(zone), slot.end.astimezone(zone)
        minutes = start.hour * 60 + start.minute
        return (
            self.standing is Standing.WAITING
            and self.service_id == service_id
            and self.staff_id in ("", staff_id)
            and self.first_day <= start.date() <= self.last_day
            and self.from_minute <= minutes
            and minutes + int((end - start).total_seconds() // 60) <= self.to_minute
            and start.date() == end.date()
            and slot.start.isoformat() not in self.passed
        )

    def might_fit(self, start: datetime, end: datetime, zone: ZoneInfo) -> bool:
        """Whether freed time from `start` to `end` meets its window at all: checked before any slot is read."""
        first, last = start.astimezone(zone), end.astimezone(zone)
        if not (self.first_day <= first.date() <= self.last_day or self.first_day <= last.date() <= self.last_day):
            return False
        opens = first.hour * 60 + first.minute if first.date() == last.date() else 0
        closes = last.hour * 60 + last.minute if first.date() == last.date() else 24 * 60
        return opens < self.to_minute and self.from_minute < closes and not self.let_pass(start, end)

    def let_pass(self, start: datetime, end: datetime) -> bool:
        """Whether they let an offer in this stretch of time pass."""
        return any(start <= datetime.fromisoformat(passed) < end for passed in self.passed)

    def offered(self, appointment_id: str) -> Entry:
        return replace(self, standing=Standing.OFFERED, offer_id=appointment_id)

    def after_offer(self, outcome: Offer, start: datetime) -> Entry:
        """The offer booked (the entry is done) or let pass (waiting again, never for that time)."""
        if outcome is Offer.ACCEPTED:
            return replace(self, standing=Standing.BOOKED)
        return replace(self, standing=Standing.WAITING, offer_id="", passed=(*self.passed, start.isoformat()))

    def describe(self) -> str:
        return f"{self.first_day}..{self.last_day} {format_hhmm(self.from_minute)}-{format_hhmm(self.to_minute)}"


def within_days(first: date, last: date, today: date, max_days_ahead: int) -> None:
    """A window from today to the booking horizon."""
    if first < today:
        raise InvalidInput("The window starts before today.", {"fromDate": "in the past"})
    if last > today + timedelta(days=max_days_ahead):
        raise InvalidInput(
            f"The window may reach at most {max_days_ahead} days ahead.", {"toDate": "beyond the booking window"}
        )
