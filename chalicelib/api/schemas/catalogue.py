"""The catalogue and availability: services, who performs them, free days and slots."""

from __future__ import annotations

from pydantic import Field

from chalicelib.api.docs import DATE
from chalicelib.api.schemas.base import HHMM, Model, Strict


class Segment(Model):
    minutes: int = Field(ge=5, multiple_of=5)
    staffFree: bool = Field(
        default=False, description="True while it processes: the staff member may take another client."
    )
    label: str = Field(default="", max_length=100)


class DepositRule(Strict):
    """A fixed amount (major units) or a percent of the price: one of the two."""

    amount: float | None = Field(default=None, gt=0, examples=[30])
    percent: int | None = Field(default=None, ge=1, le=100, examples=[20])


class Service(Model):
    id: str
    name: str
    description: str
    duration: int
    price: float
    currency: str
    requiresPayment: bool
    category: str
    segments: list[Segment] = Field(
        default=[], description="Processing time: the stretches of the service, the staff member busy or free."
    )
    bufferBefore: int | None = Field(default=None, description="Its own buffer; null: the business's.")
    bufferAfter: int | None = None
    needs: list[str] = Field(
        default=[],
        description="Resource types it takes one unit of each besides the staff member, e.g. a treatment room.",
        examples=[["treatment room"]],
    )
    locationIds: list[str] = Field(default=[], description="Offered only at these locations; []: everywhere.")
    deposit: DepositRule | None = Field(
        default=None,
        description="Its deposit, asked when the business's depositPolicy asks one of the customer; null: the "
        "business's depositPercent of the price.",
    )


class Resource(Model):
    id: str
    name: str = Field(examples=["Room 2"])
    type: str = Field(examples=["treatment room"], description="What services ask for: any unit of it will do.")
    active: bool = Field(description="False once retired: kept for the appointments that held it.")
    locationId: str = Field(default="main", description="Where it is.")


class StaffMember(Model):
    id: str
    name: str
    title: str
    avatarUrl: str


class Services(Model):
    services: list[Service]


class StaffList(Model):
    staff: list[StaffMember]


class DateCount(Model):
    date: str = Field(pattern=DATE)
    slotCount: int


class Dates(Model):
    dates: list[DateCount]


class Slot(Model):
    start: str = Field(pattern=HHMM)
    end: str = Field(pattern=HHMM)
    duration: int


class Slots(Model):
    slots: list[Slot]
