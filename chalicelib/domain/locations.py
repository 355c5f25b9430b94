"""Locations: the branches of a business, each with its address, time zone, phone, opening hours and closures.

A business with one location has none to set up: its own settings are that location (`MAIN`), and every call
that leaves `locationId` out means it. Each staff member has a home location, where their hours are, and may work
at others on days of their own (`StaffMember.elsewhere`); each room or chair is at one location; a service is
offered everywhere unless it names the locations it is offered at. A customer's calls for a location see the
business as that location is (`Catalogue.at`): its time zone and phone, the staff who work there with their hours
there (inside its opening hours, when it has any), the services offered there, its rooms, and its closures with the
business's. A staff member's calendar is
one wherever they work, so nobody is booked in two places at once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.hours import WorkingHours

MAIN = "main"  # the business's own location: its settings' name, time zone and phone


@dataclass(frozen=True)
class Location:
    id: str
    name: str
    address: str = ""
    timezone: str = ""  # none: the business's
    phone: str = ""  # none: the business's
    hours: WorkingHours = field(default_factory=WorkingHours)  # opening hours; staff there are offered inside them
    closures: Mapping[date, str] = field(default_factory=dict)  # days it alone is shut: date -> name
    active: bool = True


def is_main(location_id: str | None) -> bool:
    return not location_id or location_id == MAIN


def check_location(location: Location) -> None:
    if location.timezone:
        try:
            ZoneInfo(location.timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise InvalidInput(f"{location.timezone!r} is not a time zone.", {"timezone": "unknown"}) from None


def stored(location_id: str | None) -> str:
    """A location as staff, rooms and appointments keep it: "" for the business's own (so items made before
    there were locations read as at it)."""
    return "" if is_main(location_id) else str(location_id)
