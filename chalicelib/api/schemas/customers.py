"""Customer profiles (with their history and record) and the front desk's search."""

from __future__ import annotations

from pydantic import Field

from chalicelib.api.schemas.appointments import Appointment
from chalicelib.api.schemas.base import Model


class Customer(Model):
    id: str
    name: str
    phone: str
    email: str
    createdAt: str
    updatedAt: str


class Profile(Model):
    customer: Customer
    visits: int
    spend: float
    currency: str
    noShows: int
    cancellations: int
    lateCancellations: int = Field(description="Cancelled by the customer within the late-cancel window.")
    upcoming: int
    lastVisit: str | None
    owed: float = Field(
        description="Late-cancellation and no-show fees no payment covered (major units); their next booking's "
        "payment settles them."
    )
    history: list[Appointment]


class CustomerList(Model):
    customers: list[Customer]
