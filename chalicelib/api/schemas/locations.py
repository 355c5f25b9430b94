"""Locations: the business's branches, each with its address, time zone, phone, opening hours and closures."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from chalicelib.api.docs import DATE
from chalicelib.api.schemas.appointments import Appointment
from chalicelib.api.schemas.base import Done, Model, Strict


class LocationClosure(Model):
    date: str = Field(pattern=DATE)
    name: str


class Location(Model):
    id: str = Field(description="\"main\" is the business's own: its settings' name, time zone and phone.")
    name: str
    address: str
    timezone: str
    phone: str
    hours: dict[str, Any] = Field(description="Its opening hours, as staff hours are written (weekly, breaks, ...).")
    closures: list[LocationClosure] = Field(description="Days it alone is shut, today on.")
    active: bool


class Locations(Model):
    locations: list[Location]


class LocationChange(Strict):
    name: str | None = Field(default=None, min_length=1, max_length=100)
    address: str | None = Field(default=None, max_length=300)
    timezone: str | None = Field(default=None, description="IANA, e.g. Asia/Shanghai; empty: the business's.")
    phone: str | None = Field(default=None, max_length=32, description="Customers call it; empty: the business's.")
    hours: dict[str, Any] | None = Field(default=None, description="Opening hours: weekly, breaks, overrides.")
    closures: list[LocationClosure] | None = Field(
        default=None, max_length=100, description="Days it alone is shut (replaces the list)."
    )


class NewLocation(LocationChange):
    name: str = Field(min_length=1, max_length=100)


class LocationAnswer(Done):
    location: Location
    openAppointments: list[Appointment] = Field(
        default=[], description="Open appointments on the days a change newly closes: move or cancel them."
    )


class LocationRetired(Done):
    location: Location
    futureAppointments: list[Appointment] = Field(description="Open appointments still ahead there: move or cancel.")
