"""The appointment as every answer shows it; booking, cancelling, moving and arranging one; its history."""

from __future__ import annotations

from pydantic import Field

from chalicelib.api.docs import DATE
from chalicelib.api.schemas.base import HHMM, Done, Model
from chalicelib.api.schemas.catalogue import Segment
from chalicelib.domain.payment_status import PaymentStatus  # the answers' enums are the domain's own
from chalicelib.domain.status import Status


class Contact(Model):
    name: str
    phone: str = Field(description="E.164")
    email: str


class HeldUnit(Model):
    id: str
    name: str = Field(examples=["Room 2"])
    type: str = Field(examples=["treatment room"])


class Appointment(Model):
    id: str
    serviceId: str
    serviceName: str
    staffId: str
    staffName: str
    date: str = Field(pattern=DATE, description="Local date on the business's clock.")
    timeSlot: str = Field(pattern=HHMM)
    endTime: str = Field(pattern=HHMM)
    scheduledAt: str = Field(description="ISO 8601 with the business's UTC offset.")
    appointmentDateTime: str
    endsAt: str
    timezone: str
    duration: int
    status: Status
    totalAmount: float = Field(description="Major units of `currency`.")
    currency: str
    paymentStatus: PaymentStatus
    paidAmount: float
    refundedAmount: float
    paymentError: str | None
    paymentIntentId: str | None
    holdExpiresAt: str | None
    customerId: str
    customerInfo: Contact
    notes: str
    businessPhone: str
    cancelledReason: str | None
    createdAt: str | None
    updatedAt: str | None
    confirmationSentAt: str | None
    reminderSentAt: str | None
    rescheduledAt: str | None
    segments: list[Segment] = Field(default=[], description="The service's stretches as booked (processing time).")
    resources: list[HeldUnit] = Field(
        default=[], description="The rooms, chairs or equipment it holds, chosen when booked or moved."
    )
    assignedBy: str | None = Field(
        default=None,
        description="Booked for any staff: the policy that chose the staff member (the history says why); else null.",
    )


class AppointmentAnswer(Done):
    appointment: Appointment


class AppointmentDetail(Model):
    appointment: Appointment


class AppointmentPage(Model):
    appointments: list[Appointment]
    nextCursor: str | None = Field(default=None, description="Present when there is a next page.")


class BookingContact(Model):
    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=1, max_length=32, examples=["13800138000"])
    email: str | None = Field(default=None, max_length=254)
    notes: str | None = Field(default=None, max_length=500)


class SlotRef(Model):
    start: str = Field(pattern=HHMM)


class BookRequest(Model):
    serviceId: str
    staffId: str | None = Field(
        default=None,
        description='A staff member; left out or "any": the business chooses among those free (`assignedBy` says how).',
    )
    date: str = Field(pattern=DATE)
    timeSlot: str | SlotRef = Field(description='"HH:MM" or a slot object from available-slots')
    customerInfo: BookingContact
    totalAmount: float | None = Field(default=None, description="Checked against the price (AMOUNT_MISMATCH).")


class CancelRequest(Model):
    reason: str | None = Field(default=None, max_length=500)
    requestedByCustomer: bool | None = None


class RescheduleRequest(Model):
    date: str = Field(pattern=DATE)
    timeSlot: str | SlotRef
    staffId: str | None = Field(
        default=None,
        description='Another staff member; "any": the business chooses among those free, the current one first.',
    )


class ArrangeRequest(Model):
    """The second seed's create form. `scheduledAt`, or `date` + `timeSlot`; `customerId` or `customerInfo`."""

    staffId: str
    serviceId: str
    scheduledAt: str | None = Field(
        default=None,
        description="ISO 8601 on a 5-minute mark. With an offset or Z it is that instant; without one, the "
        "business's wall clock: a repeated (autumn) time is its first occurrence, a skipped (spring) one is a 400.",
    )
    date: str | None = Field(default=None, pattern=DATE)
    timeSlot: str | None = Field(default=None, pattern=HHMM)
    duration: int | None = Field(
        default=None,
        multiple_of=5,
        description="Minutes in steps of 5, at most 720 (12 hours). Default: the service's.",
    )
    notes: str | None = Field(default=None, max_length=500)
    customerId: str | None = None
    customerInfo: BookingContact | None = None


class Change(Model):
    action: str
    by: dict[str, str]
    at: str | None
    from_: Status | None = Field(alias="from")
    to: Status
    reason: str | None
    detail: str | None


class History(Model):
    history: list[Change]
