"""Who takes a booking made for "any staff": the order to try the free candidates in, and why.

The business chooses the policy (`BusinessSettings.assignment`):
- `fewest-minutes` (the default): the one with the fewest minutes booked in the week of the appointment;
- `weighted`: the one furthest below their share of the week's minutes, shares set by each one's `weight`;
- `priority`: the highest `priority` first, then the fewest minutes among equals;
- `returning`: the customer's last staff member first, when free, then the fewest minutes.

Minutes are calibrated for time off, as Cal.com's round-robin does for bookings: for each day of the week a
candidate does not work (no hours, a closure, a day's block), they are counted as having the average minutes the
others booked that day, so a person back from leave is not handed every booking until they catch up.

Ties go to the name, so the same state always gives the same order. Each order comes with its reason in words,
kept in the appointment's history ("fewest minutes this week: Li Na 120, Wang Lei 240").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from chalicelib.domain.catalogue import StaffMember
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.hours import WorkingHours
from chalicelib.domain.occupancy import CalendarDay

ANY = "any"  # what a client sends for staffId (or leaves it out) to let the business choose
WEIGHTS = (1, 1000)
PRIORITIES = (1, 5)


class Policy(StrEnum):
    FEWEST_MINUTES = "fewest-minutes"
    WEIGHTED = "weighted"
    PRIORITY = "priority"
    RETURNING = "returning"


def policy_of(raw: object) -> Policy:
    try:
        return Policy(str(raw))
    except ValueError:
        raise InvalidInput(
            f"assignment must be one of {', '.join(p.value for p in Policy)}.", {"assignment": "unknown"}
        ) from None


def is_any(staff_id: str | None) -> bool:
    return not staff_id or staff_id == ANY


def week_of(day: date) -> list[date]:
    """The Monday-to-Sunday week a day falls in: the period minutes are counted over."""
    monday = day - timedelta(days=day.weekday())
    return [monday + timedelta(days=i) for i in range(7)]


@dataclass(frozen=True)
class Load:
    """A candidate's minutes booked in the week, and the minutes counted for their days off."""

    member: StaffMember
    minutes: int
    calibration: int = 0

    @property
    def counted(self) -> int:
        return self.minutes + self.calibration

    def __str__(self) -> str:
        extra = f" (+{self.calibration} for time off)" if self.calibration else ""
        return f"{self.member.name} {self.minutes}{extra}"


@dataclass(frozen=True)
class Assignment:
    order: tuple[StaffMember, ...]  # the free candidates, best first: the next is tried if one is taken meanwhile
    policy: Policy
    reason: str

    def keeping(self, staff_id: str) -> Assignment:
        """A move: the customer stays with their staff member when they are free at the new time."""
        kept = [m for m in self.order if m.id == staff_id]
        if not kept:
            return self
        rest = tuple(m for m in self.order if m.id != staff_id)
        return Assignment((*kept, *rest), self.policy, f"kept with {kept[0].name}, free at the new time")

    def reason_for(self, chosen: StaffMember) -> str:
        """The reason as recorded for whoever took it (the first unless a racing booking took them)."""
        if chosen == self.order[0]:
            return self.reason
        return f"{self.reason}; {chosen.name}: the ones before were taken meanwhile"


def minutes_by_day(days: Iterable[CalendarDay], week: Sequence[date], zone: ZoneInfo) -> dict[date, tuple[int, int]]:
    """(minutes booked, minutes blocked) on each local day of the week, from a staff member's calendar days."""
    totals = {d: (0, 0) for d in week}
    for calendar_day in days:
        for hold in calendar_day.holds:
            for day in week:
                start = datetime.combine(day, time(), zone)
                end = start + timedelta(days=1)
                overlap = int((min(hold.end, end) - max(hold.start, start)).total_seconds() // 60)
                if overlap > 0:
                    booked, blocked = totals[day]
                    if hold.owner.startswith("APPT#"):
                        totals[day] = (booked + overlap, blocked)
                    else:
                        totals[day] = (booked, blocked + overlap)
    return totals


def loads(
    candidates: Sequence[tuple[StaffMember, WorkingHours]],
    days: Mapping[str, Iterable[CalendarDay]],
    week: Sequence[date],
    zone: ZoneInfo,
) -> list[Load]:
    """Each candidate's week: minutes booked, and for each day off the others' average that day."""
    tally = {m.id: minutes_by_day(days.get(m.id, ()), week, zone) for m, _ in candidates}
    off = {m.id: {d for d in week if _open_minutes(hours, d) <= tally[m.id][d][1]} for m, hours in candidates}
    result = []
    for member, _ in candidates:
        calibration = 0
        for day in off[member.id]:
            others = [tally[o.id][day][0] for o, _ in candidates if o.id != member.id and day not in off[o.id]]
            calibration += sum(others) // len(others) if others else 0
        booked = sum(tally[member.id][d][0] for d in week)
        result.append(Load(member, booked, calibration))
    return result


def _open_minutes(hours: WorkingHours, day: date) -> int:
    return sum(span.end - span.start for span in hours.open_spans(day))


def assign(policy: Policy, free: Sequence[Load], last_staff_id: str | None = None) -> Assignment:
    """The free candidates in the order the policy gives, with the reason for the first."""
    if not free:
        raise ValueError("nobody to assign")
    by_minutes = sorted(free, key=lambda load: (load.counted, load.member.name, load.member.id))
    if policy is Policy.WEIGHTED:
        return _weighted(free)
    if policy is Policy.PRIORITY:
        ordered = sorted(free, key=lambda load: (-load.member.priority, load.counted, load.member.name))
        top = ordered[0].member.priority
        peers = ", ".join(str(load) for load in ordered if load.member.priority == top)
        return Assignment(
            _members(ordered), policy, f"highest priority ({top}), then fewest minutes this week: {peers}"
        )
    if policy is Policy.RETURNING and last_staff_id:
        last = [load for load in by_minutes if load.member.id == last_staff_id]
        if last:
            rest = [load for load in by_minutes if load.member.id != last_staff_id]
            return Assignment(
                _members([*last, *rest]), policy, f"the customer's last staff member: {last[0].member.name}"
            )
    listed = ", ".join(str(load) for load in by_minutes)
    return Assignment(_members(by_minutes), policy, f"fewest minutes this week: {listed}")


def _weighted(free: Sequence[Load]) -> Assignment:
    """Each one's share of the week's minutes is their weight over the candidates' total; the one furthest below
    it goes first."""
    total_weight = sum(load.member.weight for load in free)
    total = sum(load.counted for load in free)

    def shortfall(load: Load) -> float:
        return total * load.member.weight / total_weight - load.counted

    ordered = sorted(free, key=lambda load: (-shortfall(load), load.member.name, load.member.id))
    listed = ", ".join(
        f"{load.member.name} {load.counted} of {round(total * load.member.weight / total_weight)}" for load in ordered
    )
    return Assignment(
        _members(ordered), Policy.WEIGHTED, f"furthest below their share of this week's minutes: {listed}"
    )


def _members(loads: Iterable[Load]) -> tuple[StaffMember, ...]:
    return tuple(load.member for load in loads)
