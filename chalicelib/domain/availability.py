"""Which start times are offered: hours, breaks, overrides, notice, window, buffers, time zone.

All instants are aware UTC datetimes; wall-clock times exist only in the business's zone.
What is taken already comes as `Busy`: a slot is free when the staff member's busy stretches are, and one
unit of each resource the service needs is free throughout.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from chalicelib.domain.catalogue import BusinessSettings, Service
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.hours import WorkingHours
from chalicelib.domain.occupancy import Taken
from chalicelib.domain.rules import MAX_BUFFERS
from chalicelib.domain.segments import staff_time


def wall_instant(day: date, minutes: int, zone: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time; an ambiguous one (autumn's repeated hour) is its first."""
    day, minutes = day + timedelta(days=minutes // 1440), minutes % 1440
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=zone).astimezone(UTC)


def local_instant(day: date, minutes: int, zone: ZoneInfo) -> datetime | None:
    """Like `wall_instant`, but None for a wall-clock time that a DST gap skips."""
    instant = wall_instant(day, minutes, zone)
    wall = datetime.combine(day + timedelta(days=minutes // 1440), time(minutes % 1440 // 60, minutes % 60))
    return instant if instant.astimezone(zone).replace(tzinfo=None) == wall else None


def existing_instant(day: date, minutes: int, zone: ZoneInfo, name: str = "timeSlot") -> datetime:
    """A wall-clock time a client gave: refused if the spring gap skips it; a repeated one is its first."""
    instant = local_instant(day, minutes, zone)
    if instant is None:
        raise InvalidInput(
            f"{day} {minutes // 60:02d}:{minutes % 60:02d} does not exist on the clock in {zone.key} "
            "(the clocks jump over it).",
            {name: "skipped by a clock change"},
        )
    return instant


def instant_of(moment: datetime, zone: ZoneInfo, name: str = "scheduledAt") -> datetime:
    """What a client's date-time means, in UTC.

    With an offset (or Z) it names an instant, which is honoured as given, in the repeated autumn
    hour too. Without one it is the business's wall clock: the first of a repeated time, and a
    time the spring gap skips is refused.
    """
    if moment.tzinfo is not None:
        return moment.astimezone(UTC)
    return existing_instant(moment.date(), moment.hour * 60 + moment.minute, zone, name)


@dataclass(frozen=True)
class Slot:
    start: datetime
    end: datetime

    @property
    def duration(self) -> int:
        return int((self.end - self.start).total_seconds() // 60)


@dataclass(frozen=True)
class Rules:
    """The settings that decide what is offered, with the moment of asking."""

    settings: BusinessSettings
    now: datetime

    @property
    def zone(self) -> ZoneInfo:
        return self.settings.zone

    @property
    def today(self) -> date:
        return self.now.astimezone(self.zone).date()

    @property
    def last_day(self) -> date:
        return self.today + timedelta(days=self.settings.max_days_ahead)

    @property
    def earliest_start(self) -> datetime:
        return self.now + timedelta(minutes=self.settings.min_notice_minutes)

    def days(self, count: int) -> list[date]:
        last = min(self.today + timedelta(days=count - 1), self.last_day)
        return [self.today + timedelta(days=i) for i in range((last - self.today).days + 1)]


def candidate_slots(day: date, hours: WorkingHours, service: Service, rules: Rules) -> Iterator[Slot]:
    """Starts within the hours, stepping by the slot interval, that are not past the notice or window."""
    if not rules.today <= day <= rules.last_day:
        return
    step, duration = rules.settings.slot_interval, timedelta(minutes=service.duration)
    spans = hours.open_spans(day)
    for span in spans:
        runs_on = hours.closes_after_midnight(day) if span == spans[-1] else 0
        closes = wall_instant(day, span.end + runs_on, rules.zone)
        for minutes in range(span.start, span.end, step):
            start = local_instant(day, minutes, rules.zone)
            if start is None or start + duration > closes:
                continue
            if start >= rules.earliest_start:
                yield Slot(start, start + duration)


@dataclass(frozen=True)
class Busy:
    """What is taken on the calendars a slot needs: the staff member's, and each unit's of every resource
    type the service needs (a slot needs one free unit of each)."""

    staff: Taken
    units: Mapping[str, Sequence[Taken]] = field(default_factory=dict)


def staff_is_free(slot: Slot, service: Service, rules: Rules, taken: Taken) -> bool:
    """Every stretch the staff member would be busy for is free (not the processing time between)."""
    before, after = service.buffers(rules.settings)
    return all(taken.is_free(s, e) for s, e in staff_time(slot.start, slot.duration, service.segments, before, after))


def is_free(slot: Slot, service: Service, rules: Rules, busy: Busy) -> bool:
    """The staff member is free (`staff_is_free`), and one unit of each resource type needed is free for the
    whole span, buffers included."""
    if not staff_is_free(slot, service, rules, busy.staff):
        return False
    before, after = service.buffers(rules.settings)
    span = slot.start - timedelta(minutes=before), slot.end + timedelta(minutes=after)
    return all(any(unit.is_free(*span) for unit in busy.units.get(kind, ())) for kind in service.needs)


def free_slots(day: date, hours: WorkingHours, service: Service, rules: Rules, busy: Busy) -> list[Slot]:
    return [s for s in candidate_slots(day, hours, service, rules) if is_free(s, service, rules, busy)]


def by_hours(staff: Sequence[tuple[WorkingHours, Busy]]) -> list[tuple[WorkingHours, list[Busy]]]:
    """Those who share a set of hours together, so its starts are worked out once for all of them."""
    shared: list[tuple[WorkingHours, list[Busy]]] = []
    for hours, busy in staff:
        group = next((g for known, g in shared if known == hours), None)
        if group is None:
            shared.append((hours, [busy]))
        else:
            group.append(busy)
    return shared


def free_for_anyone(
    day: date, staff: Sequence[tuple[WorkingHours, Busy]], service: Service, rules: Rules
) -> list[Slot]:
    """The starts at least one of them is free for ("any staff"), each checked only until someone is free for it."""
    found: dict[datetime, Slot] = {}
    for hours, group in by_hours(staff):
        for slot in candidate_slots(day, hours, service, rules):
            if slot.start not in found and any(is_free(slot, service, rules, busy) for busy in group):
                found[slot.start] = slot
    return sorted(found.values(), key=lambda s: s.start)


def offered_slot(day: date, minutes: int, hours: WorkingHours, service: Service, rules: Rules) -> Slot | None:
    """The slot a client asks for, if it is offered at all (taken or not: the write of its calendar days decides)."""
    start = local_instant(day, minutes, rules.zone)
    return next((s for s in candidate_slots(day, hours, service, rules) if s.start == start), None)


def occupancy_window(days: list[date], rules: Rules) -> tuple[datetime, datetime]:
    """The UTC range of taken time that can matter for slots on these days."""
    first, last = wall_instant(days[0], 0, rules.zone), wall_instant(days[-1], 1440, rules.zone)
    pad = timedelta(minutes=MAX_BUFFERS)  # a service's own buffers may be longer than the business's
    return max(first, rules.now) - pad, last + pad
