"""The appointment as every answer shows it; booking, cancelling, moving and arranging one; its history."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.api.docs import DATE
from chalicelib.api.schemas.base import HHMM, Done, Model, Strict
from chalicelib.api.schemas.catalogue import Segment
from chalicelib.domain.deposits import Reason
from chalicelib.domain.fees import FeeKind
from chalicelib.domain.holds import Hold
from chalicelib.domain.payment_status import PaymentStatus  # the answers' enums are the domain's own
from chalicelib.domain.status import Status
from chalicelib.domain.waitlist import Offer, Standing


class Contact(Model):
    name: str
    phone: str = Field(description="E.164")
    email: str


class HeldUnit(Model):
    id: str
    name: str = Field(examples=["Room 2"])
    type: str = Field(examples=["treatment room"])


class VisitPart(Model):
    """One service of the appointment: an appointment of one service lists itself; a visit, each in order."""

    serviceId: str
    serviceName: str
    staffId: str
    staffName: str
    timeSlot: str = Field(pattern=HHMM)
    endTime: str = Field(pattern=HHMM)
    scheduledAt: str = Field(description="ISO 8601 with the business's UTC offset.")
    duration: int
    totalAmount: float = Field(description="This service's price, in major units; the appointment's is the sum.")
    segments: list[Segment]
    resources: list[HeldUnit]
    assignedBy: str | None = Field(description="Asked for any staff: the policy that chose its staff member.")


SettledBy = Literal["cash", "card", "wechat", "alipay", "transfer", "other"]  # services/appointments.SETTLED_BY


class AskedUpFront(Model):
    amount: float = Field(description="Of the price, asked before the visit (major units).")
    reason: Reason = Field(
        description="prepayment: the service is paid in full when booked; deposit: asked of everyone; new-customer; "
        "missed-appointments: the customer missed or cancelled late depositMisses times in depositMonths months."
    )
    message: str = Field(examples=["A deposit of 30.00 CNY holds the booking; the rest is paid at the visit."])


class AppliedFee(Model):
    kind: FeeKind
    amount: float = Field(description="The fee: kept plus owed.")
    kept: float = Field(description="Taken from what was paid; the rest of the payment was refunded.")
    owed: float = Field(description="Not covered by a payment: owed on the customer's profile.")
    waivedBy: str | None = Field(default=None, description="Staff who waived it: what it kept was refunded.")
    waivedReason: str | None = None


class CancelQuote(Model):
    """What cancelling now would cost the customer, before they do."""

    online: bool = Field(description="The customer may cancel it themselves now (before onlineUntil).")
    late: bool = Field(description="A cancellation now is late (after lateFrom): the late-cancel fee applies.")
    fee: float
    refund: float = Field(description="What would be given back of what was paid.")
    lateFrom: str
    onlineUntil: str


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
    services: list[VisitPart] = Field(
        default=[],
        description="Its services in order, each with its staff member, time, price and rooms. A visit of several "
        "is one appointment: `serviceName` joins their names, `staffId` is the first service's, `duration` and "
        "`totalAmount` cover them all.",
    )
    locationId: str = Field(default="main", description='Where (GET /locations); "main": the business\'s own.')
    amountDue: float = Field(
        default=0,
        description="What its payment takes now (POST /appointments/payment): the price, or a deposit, with fees "
        "carried; 0 once paid or when nothing is asked before the visit.",
    )
    deposit: AskedUpFront | None = Field(
        default=None, description="What is asked before the visit and why; null when nothing is."
    )
    feesCarried: float = Field(default=0, description="Fees owed from before, paid with this booking's payment.")
    balanceDue: float = Field(default=0, description="What is left to pay at the visit.")
    fee: AppliedFee | None = Field(default=None, description="A late cancellation's or a no-show's fee.")
    settledBy: str | None = Field(default=None, description="How the rest was paid at the visit (when completed).")
    offer: Offer | None = Field(
        default=None,
        description="Made from the waitlist: offered (its time held for the customer until holdExpiresAt; book it "
        "with POST /appointments/{id}/accept, let it pass with PUT /appointments/{id}/cancel), accepted or passed.",
    )
    waitlistEntryId: str | None = None
    hold: Hold | None = Field(
        default=None,
        description="Placed as a short hold (POST /appointments/hold): placed (its time kept for the customer until "
        "holdExpiresAt; book it with POST /appointments/{id}/book, let it go with PUT /appointments/{id}/cancel), "
        "booked, or released (let go, or lapsed: `cancelledReason` hold_expired).",
    )


class AppointmentAnswer(Done):
    appointment: Appointment


class AppointmentDetail(Model):
    appointment: Appointment
    cancellation: CancelQuote | None = Field(
        default=None, description="What cancelling it now would cost the customer; null once it is final."
    )


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


class WantedService(Model):
    serviceId: str
    staffId: str | None = Field(default=None, description='Left out or "any": the business chooses among those free.')


class BookRequest(Model):
    """`serviceId` (with `staffId`) for one service, or `services` for a visit of several back to back."""

    serviceId: str | None = Field(default=None, description="Required unless `services` is given.")
    staffId: str | None = Field(
        default=None,
        description='A staff member; left out or "any": the business chooses among those free (`assignedBy` says how).',
    )
    services: list[WantedService] | None = Field(
        default=None,
        min_length=1,
        max_length=4,
        description="A visit: its services in the order they follow each other, from `timeSlot` on, booked as one "
        "appointment in one transaction (all or nothing); `totalAmount` is the sum of their prices.",
    )
    locationId: str | None = Field(
        default=None, description='Where (GET /locations); left out or "main": the business\'s own.'
    )
    date: str = Field(pattern=DATE)
    timeSlot: str | SlotRef = Field(description='"HH:MM" or a slot object from available-slots')
    customerInfo: BookingContact
    totalAmount: float | None = Field(default=None, description="Checked against the price (AMOUNT_MISMATCH).")


class HoldRequest(BookRequest):
    """What booking takes, held for `minutes` first: nothing is asked until it is booked, and nobody else can book the
    time meanwhile. Booking it (POST /appointments/{id}/book) confirms it, or makes it a hold awaiting payment when
    the service asks a prepayment or a deposit."""

    minutes: int | None = Field(
        default=None, ge=1, le=120, description="How long to hold it: 1 to the business's holdMinutes (15); default 5."
    )


class CancelRequest(Model):
    reason: str | None = Field(default=None, max_length=500)
    requestedByCustomer: bool | None = None


class RescheduleRequest(Model):
    date: str = Field(pattern=DATE)
    timeSlot: str | SlotRef
    staffId: str | None = Field(
        default=None,
        description='Another staff member; "any": the business chooses among those free, the current one first. A '
        'visit moves whole, its services in the same order: left out, each keeps its staff member; "any": each is '
        "chosen again.",
    )


class ArrangeRequest(Model):
    """The second seed's create form. `scheduledAt`, or `date` + `timeSlot`; `customerId` or `customerInfo`."""

    locationId: str | None = Field(default=None, description='Left out or "main": the business\'s own.')

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


class CompleteRequest(Strict):
    settledBy: SettledBy | None = Field(
        default=None, description="How the rest of the price (balanceDue) was paid at the visit."
    )


class WaiveRequest(Strict):
    reason: str = Field(min_length=1, max_length=500, examples=["Flat tyre; first time"])


class BookingPolicyTerms(Model):
    price: float
    currency: str
    amountDue: float = Field(description="Paid when booking (the booking is a hold until then); 0: nothing.")
    deposit: AskedUpFront | None = Field(description="What is asked before the visit and why; null: nothing.")
    feesCarried: float = Field(description="Fees the customer owes from before, paid with this booking.")
    balanceDue: float = Field(description="Left to pay at the visit.")
    cancelCutoffHours: int = Field(description="The customer may cancel or move online until this many hours before.")
    lateCancelHours: int = Field(description="A cancellation this close to the start is late.")
    lateCancelFee: float = Field(description="Kept on a late cancellation (from what was paid, or owed).")
    noShowFee: float
    holdMinutes: int = Field(description="How long the time is held for the payment.")


class BookingPolicy(Model):
    policy: BookingPolicyTerms


class WaitlistRequest(Strict):
    serviceId: str
    staffId: str | None = Field(default=None, description='A staff member; left out or "any": whoever performs it.')
    locationId: str | None = None
    fromDate: str = Field(pattern=DATE, examples=["2026-12-10"])
    toDate: str = Field(pattern=DATE, examples=["2026-12-14"], description="At most maxDaysAhead from today.")
    fromTime: str = Field(examples=["09:00"], description="The earliest start, on the location's clock.")
    toTime: str = Field(examples=["12:00"], description="The latest end.")
    customerInfo: BookingContact


class WaitlistEntry(Model):
    id: str
    serviceId: str
    staffId: str | None
    locationId: str
    fromDate: str
    toDate: str
    fromTime: str
    toTime: str
    status: Standing = Field(
        description="waiting; offered (offerId is an appointment held for them); booked; left; lapsed (the window "
        "ended)."
    )
    offerId: str | None
    customerId: str
    customerInfo: Contact
    createdAt: str


class WaitlistEntryAnswer(Done):
    entry: WaitlistEntry


class WaitlistEntries(Model):
    entries: list[WaitlistEntry] = Field(description="First come, first offered.")
