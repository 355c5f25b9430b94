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
from chalicelib.domain.occupancy import CalendarDay, DayKey, Hold, holdings, resource_calendar

Units = Mapping[str, Sequence[Resource]]  # resource type -> the units to try, in order


def unit_holds(unit: Resource, appointment: Appointment) -> dict[DayKey, list[Hold]]:
    return holdings({resource_calendar(unit.id): [appointment.span]}, appointment.holder)


def unit_days(units: Units, appointment: Appointment) -> set[DayKey]:
    """The calendar days to read to choose among the units."""
    return {key for candidates in units.values() for unit in candidates for key in unit_holds(unit, appointment)}


def assign_units(appointment: Appointment, units: Units, days: Mapping[DayKey, CalendarDay]) -> Appointment:
    """The appointment holding the first free unit of each type; `SlotTaken` naming a type with none free."""
    chosen: list[Resource] = []
    for kind, candidates in units.items():
        unit = next((u for u in candidates if _free(u, appointment, days)), None)
        if unit is None:
            raise SlotTaken(f"No {kind} is free at that time; please choose another slot.", {"resources": kind})
        chosen.append(unit)
    return replace(appointment, resources=tuple(chosen))


def _free(unit: Resource, appointment: Appointment, days: Mapping[DayKey, CalendarDay]) -> bool:
    held = unit_holds(unit, appointment)
    return all(days.get(key, CalendarDay(*key)).clash(holds) is None for key, holds in held.items())


def needs_of(appointment: Appointment) -> tuple[str, ...]:
    """The resource types it was booked with: what it needs again when it moves."""
    return tuple(unit.type for unit in appointment.resources)
