"""The contract's request and response bodies as models: the source of `GET /openapi.json`.

Field names are the wire's (camelCase). Requests say what a client may send; the routes' own parsing
(`inputs`, the domain's rules) stays the judge of values, and answers 400 with the field named.
Responses say what every answer holds; the tests validate real answers against them.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from chalicelib.domain.appointment import PaymentStatus  # the answers' enums are the domain's own
from chalicelib.domain.status import Status

DATE = r"^\d{4}-\d{2}-\d{2}$"
HHMM = r"^\d{2}:\d{2}$"


class Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


# -- shared pieces --------------------------------------------------------------------------------------------


class ErrorDetail(Model):
    code: str = Field(examples=["SLOT_TAKEN"])
    message: str
    fields: dict[str, str] = Field(description="The fields at fault, each with what is wrong with it.")


class ErrorBody(Model):
    success: Literal[False]
    error: ErrorDetail


class Done(Model):
    success: Literal[True]


class Contact(Model):
    name: str
    phone: str = Field(description="E.164")
    email: str


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


class AppointmentAnswer(Done):
    appointment: Appointment


class AppointmentDetail(Model):
    appointment: Appointment


class AppointmentPage(Model):
    appointments: list[Appointment]
    nextCursor: str | None = Field(default=None, description="Present when there is a next page.")


class Span(Model):
    start: str = Field(pattern=HHMM)
    end: str = Field(pattern=HHMM)


class WorkingHours(Model):
    weekly: dict[str, list[Span]] = Field(description="mon..sun → ranges")
    breaks: dict[str, list[Span]]
    overrides: dict[str, list[Span]] = Field(description="YYYY-MM-DD → ranges; [] = closed")


class Block(Model):
    id: str
    staffId: str
    date: str = Field(pattern=DATE)
    start: str = Field(pattern=HHMM)
    end: str = Field(pattern=HHMM)
    reason: str
    blockedBy: str
    createdAt: str | None


class StaffDay(Model):
    date: str = Field(pattern=DATE)
    workingHours: list[Span]
    appointments: list[Appointment]
    blocks: list[Block]
    free: list[Span]
    freeMinutes: int


class Customer(Model):
    id: str
    name: str
    phone: str
    email: str
    createdAt: str
    updatedAt: str


class Preferences(Model):
    sms: bool
    email: bool
    push: bool
    reminderTimes: list[str] = Field(examples=[["24h", "2h"]])
    locale: Literal["zh-CN", "en"]


class Service(Model):
    id: str
    name: str
    description: str
    duration: int
    price: float
    currency: str
    requiresPayment: bool
    category: str


class StaffMember(Model):
    id: str
    name: str
    title: str
    avatarUrl: str


# -- sign-in --------------------------------------------------------------------------------------------------


class WeChatLogin(Model):
    code: str = Field(min_length=1, max_length=128, description="wx.login's code")


class DevLogin(Model):
    role: Literal["customer", "staff", "admin"]
    name: str | None = Field(default=None, max_length=100)


class User(Model):
    id: str
    role: Literal["customer", "staff", "admin"]
    name: str


class SignedIn(Done):
    token: str
    user: User


# -- catalogue and availability -------------------------------------------------------------------------------


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


# -- booking --------------------------------------------------------------------------------------------------


class BookingContact(Model):
    name: str = Field(min_length=1, max_length=100)
    phone: str = Field(min_length=1, max_length=32, examples=["13800138000"])
    email: str | None = Field(default=None, max_length=254)
    notes: str | None = Field(default=None, max_length=500)


class SlotRef(Model):
    start: str = Field(pattern=HHMM)


class BookRequest(Model):
    serviceId: str
    staffId: str
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
    staffId: str | None = None


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
        description="Minutes in steps of 5; with the business's buffers at most 200. Default: the service's.",
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


# -- schedule -------------------------------------------------------------------------------------------------


class Schedule(Model):
    schedule: list[StaffDay]


class Hours(Model):
    staffId: str
    availability: WorkingHours


class HoursRequest(Model):
    availability: dict[str, Any] = Field(
        description="{weekly: {mon: [{start, end}]}, breaks: [...] or {mon: [...]}, overrides: {YYYY-MM-DD: [...]}}. "
        "A merge: weekly and breaks replace theirs only when given; overrides change only the dates given "
        "(a date set to null drops its override). Other fields are a 400."
    )


class HoursAnswer(Done):
    staffId: str
    availability: WorkingHours
    outsideHours: list[Appointment] = Field(description="Open appointments ahead that the new hours leave out.")


class BlockRequest(Model):
    staffId: str
    date: str = Field(pattern=DATE)
    timeSlot: str | Span = Field(description='"HH:MM" (one slot interval), "HH:MM-HH:MM" or {start, end}')
    reason: str | None = Field(default=None, max_length=200)


class BlockAnswer(Done):
    id: str
    block: Block


class Conflict(Model):
    type: Literal["appointment", "block", "outside_hours"]
    id: str | None
    start: str = Field(pattern=HHMM)
    end: str = Field(pattern=HHMM)
    detail: str


class Conflicts(Model):
    conflicts: list[Conflict]


class OverviewStaff(Model):
    id: str
    name: str
    workingHours: list[Span]
    appointments: list[Appointment]
    blocks: list[Block]
    free: list[Span]
    freeMinutes: int


class OverviewTotals(Model):
    appointments: int
    blocks: int
    freeMinutes: int
    bookedMinutes: int


class OverviewDay(Model):
    date: str = Field(pattern=DATE)
    staff: list[OverviewStaff]
    totals: OverviewTotals


class Overview(Model):
    overview: OverviewDay


# -- customers and notifications ------------------------------------------------------------------------------


class Profile(Model):
    customer: Customer
    visits: int
    spend: float
    currency: str
    noShows: int
    cancellations: int
    upcoming: int
    lastVisit: str | None
    history: list[Appointment]


class CustomerList(Model):
    customers: list[Customer]


class PreferencesAnswer(Model):
    preferences: Preferences


class PreferencesSaved(Done):
    preferences: Preferences


class PreferencesChange(Model):
    sms: bool | None = None
    email: bool | None = None
    push: bool | None = None
    reminderTimes: list[str] | None = Field(default=None, max_length=3, description='"5m" to "7d", at most 3')
    locale: Literal["zh-CN", "en"] | None = None


class PreferencesRequest(Model):
    preferences: PreferencesChange


class Queued(Done):
    queued: Literal[True]
    messageId: str = Field(description="The same id however often it is asked for: it is delivered once.")
    kind: str
    dueAt: str = Field(description="When it goes out: now, or a reminder's own time (never earlier).")


class ReminderRequest(Model):
    type: str | None = Field(
        default=None,
        max_length=8,
        examples=["24h"],
        description="One of the appointment's own reminder times ('1d' and '24h' are the same one); default 24h.",
    )


class CancellationNoticeRequest(Model):
    reason: str | None = Field(
        default=None, max_length=500, description="Accepted for the seed; never sent: the message is the business's."
    )


class RescheduleNoticeRequest(Model):
    newDateTime: str | None = Field(default=None, max_length=40)


class RemindersRequest(Model):
    reminderTimes: list[str] = Field(max_length=3, examples=[["24h", "2h"]])


class ScheduledReminder(Model):
    type: str
    dueAt: str | None


class RemindersAnswer(Done):
    reminderTimes: list[str]
    scheduled: list[ScheduledReminder]


# -- payments -------------------------------------------------------------------------------------------------


class PaymentRequest(Model):
    appointmentId: str = Field(max_length=64)
    amount: float = Field(description="What the client shows, in major units; checked (AMOUNT_MISMATCH).")


class PaymentAnswer(Done):
    """`wx.requestPayment`'s fields (spread unchanged by the mini program) and the Stripe intent."""

    timeStamp: str
    nonceStr: str
    package: str
    signType: str
    paySign: str
    paymentIntentId: str
    clientSecret: str
    amount: float
    currency: str
    holdExpiresAt: str | None


class StripeEvent(Model):
    """Stripe's event, verified with the Stripe-Signature header over the raw body (dated within 300 s of
    now, either way: else 400 BAD_SIGNATURE). A signed body that is not such an object is 400 INVALID_INPUT."""

    id: str
    type: str
    created: int | None = None
    data: dict[str, Any] = Field(description="`object`: the payment intent or charge the event is about.")


class Received(Model):
    received: Literal[True]
    id: str


class LocalPayment(Model):
    outcome: Literal["succeed", "fail"] | None = None


class LocalPaymentAnswer(Done):
    paymentIntentStatus: str
