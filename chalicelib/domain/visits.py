"""Where a visit fits: its services back to back from a start, each with someone free to perform it.

The first service starts at the visit's start, which must be a start its staff member's hours offer (the slot
interval, the notice, the window); each next one starts where the one before ends and must lie within its staff
member's hours. The buffers stand before the first and after the last. The services are apart in time, so whether
each has someone free (and a unit of each resource type it needs) is decided on its own: the visit fits when every
one of them does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from chalicelib.domain.availability import Busy, Rules, Slot, by_hours, candidate_slots, is_free
from chalicelib.domain.catalogue import BusinessSettings, Service
from chalicelib.domain.hours import WorkingHours
from chalicelib.domain.schedule import within_hours

Performers = Sequence[tuple[WorkingHours, Busy]]  # those who may perform one service of the visit


@dataclass(frozen=True)
class Step:
    """One service of a visit at its place: with the buffers it keeps there, and its slot."""

    service: Service
    slot: Slot

    def overlaps(self, during: tuple[datetime, datetime] | None) -> bool:
        """Whether time someone else holds falls in this service's span, buffers included (unknown: it may)."""
        if during is None:
            return True
        before, after = self.service.buffer_before or 0, self.service.buffer_after or 0
        start, end = self.slot.start - timedelta(minutes=before), self.slot.end + timedelta(minutes=after)
        return during[0] < end and start < during[1]


def steps(services: Sequence[Service], start: datetime, settings: BusinessSettings) -> list[Step]:
    """The services back to back from `start`: the first keeps its buffer before, the last its buffer after."""
    before, after = services[0].buffers(settings)[0], services[-1].buffers(settings)[1]
    found, cursor = [], start
    for i, service in enumerate(services):
        within = replace(service, buffer_before=0 if i else before, buffer_after=after if i == len(services) - 1 else 0)
        slot = Slot(cursor, cursor + timedelta(minutes=service.duration))
        found.append(Step(within, slot))
        cursor = slot.end
    return found


def in_hours(step: Step, day: date, hours: WorkingHours, rules: Rules) -> bool:
    """A later service of the visit lies within its staff member's hours of the visit's day."""
    return within_hours((step.slot.start, step.slot.end), day, hours, rules.zone)


def visit_slots(day: date, services: Sequence[Service], performers: Sequence[Performers], rules: Rules) -> list[Slot]:
    """The starts at which the whole visit fits, each slot spanning the whole visit; `performers[i]`: who may
    perform `services[i]`, with what is taken on their calendars and on the units of the types it needs."""
    starts: dict[datetime, list[Busy]] = {}
    for hours, group in by_hours(performers[0]):
        for slot in candidate_slots(day, hours, services[0], rules):
            starts.setdefault(slot.start, []).extend(group)
    found = []
    for start, first in sorted(starts.items()):
        plan = steps(services, start, rules.settings)
        if not any(is_free(plan[0].slot, plan[0].service, rules, busy) for busy in first):
            continue
        if all(
            any(
                in_hours(step, day, hours, rules) and is_free(step.slot, step.service, rules, busy)
                for hours, busy in who
            )
            for step, who in zip(plan[1:], performers[1:], strict=True)
        ):
            found.append(Slot(start, plan[-1].slot.end))
    return found
