"""An appointment as an RFC 5545 event, for the seed's "Add to calendar"."""

from __future__ import annotations

from datetime import UTC, datetime

from chalicelib.domain.actor import Actor
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.status import Status
from chalicelib.services.appointments import visible
from chalicelib.store import Store

_STATUS = {Status.PENDING: "TENTATIVE", Status.CONFIRMED: "CONFIRMED", Status.COMPLETED: "CONFIRMED"}


def event(store: Store, actor: Actor, appointment_id: str, now: datetime) -> bytes:
    """The caller's appointment as a one-event calendar file, at its location (a branch: its name and address)."""
    appointment, catalogue = visible(store, actor, appointment_id), store.catalogue.read()
    place = catalogue.locations.get(appointment.location_id)
    where = ", ".join(part for part in (place.name, place.address) if part) if place else catalogue.settings.name
    return ics(appointment, where, now)


def ics(appointment: Appointment, business_name: str, now: datetime) -> bytes:
    from icalendar import Calendar, Event  # deferred: only this route needs it

    calendar = Calendar()
    calendar.add("prodid", "-//Slotbook//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.id}@slotbook")
    event.add("dtstamp", now.astimezone(UTC))
    event.add("dtstart", appointment.start.astimezone(UTC))
    event.add("dtend", appointment.end.astimezone(UTC))
    event.add("summary", f"{appointment.service_name} with {appointment.staff_name}")
    event.add("location", business_name)
    description = f"Booked at {business_name}."
    if appointment.business_phone:
        description += f" Questions or changes: {appointment.business_phone}."
    event.add("description", description)
    event.add("status", _STATUS.get(appointment.status, "CANCELLED"))
    event.add("sequence", appointment.version)
    calendar.add_component(event)
    return bytes(calendar.to_ical())
