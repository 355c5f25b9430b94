"""Which unit of each resource type an appointment takes: the first free one, in the order given.

A service that needs a treatment room takes one of the business's treatment rooms for its whole span,
buffers included. Which one is decided on the calendar days as read for the write: if a racing booking
took that room, the write fails its condition, the days are read again, and the next free room is taken.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.catalogue import Resource
from chalicelib.domain.errors import SlotTaken
from chalicelib.domain.occupancy import CalendarDay, DayKey, Hold, Interval, holdings, resource_calendar
from chalicelib.domain.parts import units_held

Units = Mapping[str, Sequence[Resource]]  # resource type -> the units to try, in order


def _spans(appointment: Appointment, units: Units) -> list[tuple[int, str, Interval]]:
    """For each of its services (by position) and each resource type it needs, the span to hold a unit for: one
    service's needs are the types offered (`units`), a visit's each part's own."""
    if not appointment.parts:
        return [(0, kind, appointment.span) for kind in units]
    return [(i, kind, span) for i, (part, _, span) in enumerate(appointment.stretches) for kind in part.needs]


def _holds(unit: Resource, span: Interval, owner: str) -> dict[DayKey, list[Hold]]:
    return holdings({resource_calendar(unit.id): [span]}, owner)


def unit_days(units: Units, appointment: Appointment) -> set[DayKey]:
    """The calendar days to read to choose among the units."""
    return {
        key
        for _, kind, span in _spans(appointment, units)
        for unit in units.get(kind, ())
        for key in _holds(unit, span, appointment.holder)
    }


def assign_units(appointment: Appointment, units: Units, days: Mapping[DayKey, CalendarDay]) -> Appointment:
    """The appointment holding the first free unit of each type each service needs; `SlotTaken` naming a type with
    none free."""
    chosen: dict[int, list[Resource]] = {}
    for i, kind, span in _spans(appointment, units):
        held = _holds_free(units.get(kind, ()), span, appointment.holder, days)
        if held is None:
            raise SlotTaken(f"No {kind} is free at that time; please choose another slot.", {"resources": kind})
        chosen.setdefault(i, []).append(held)
    if not appointment.parts:
        return replace(appointment, resources=tuple(chosen.get(0, ())))
    parts = tuple(replace(p, resources=tuple(chosen.get(i, ()))) for i, p in enumerate(appointment.parts))
    return replace(appointment, parts=parts, resources=units_held(parts))


def _holds_free(
    candidates: Sequence[Resource], span: Interval, owner: str, days: Mapping[DayKey, CalendarDay]
) -> Resource | None:
    def free(unit: Resource) -> bool:
        held = _holds(unit, span, owner)
        return all(days.get(key, CalendarDay(*key)).clash(holds) is None for key, holds in held.items())

    return next((u for u in candidates if free(u)), None)


def needs_of(appointment: Appointment) -> tuple[str, ...]:
    """The resource types it was booked with: what it needs again when it moves (a visit: any of its services)."""
    return tuple(dict.fromkeys(kind for part in appointment.performed for kind in part.needs))
