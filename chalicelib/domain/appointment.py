"""The appointment and what may happen to it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from chalicelib.domain.availability import Slot, granules
from chalicelib.domain.catalogue import BusinessSettings, Service, StaffMember
from chalicelib.domain.errors import IllegalTransition
from chalicelib.domain.money import Money
from chalicelib.domain.policy import ensure_before_cutoff
from chalicelib.domain.status import Status, ensure_open, ensure_transition


class Role(StrEnum):
    CUSTOMER = "customer"
    STAFF = "staff"
    ADMIN = "admin"


class PaymentStatus(StrEnum):
    NOT_REQUIRED = "not_required"
    AWAITING = "awaiting_payment"
    PAID = "paid"
    REFUNDED = "refunded"


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user with a role."""

    id: str
    role: Role
    name: str = ""

    @property
    def is_staff(self) -> bool:
        return self.role in (Role.STAFF, Role.ADMIN)


@dataclass(frozen=True)
class CustomerInfo:
    name: str
    phone: str
    email: str = ""


@dataclass(frozen=True)
class Appointment:
    id: str
    customer_id: str
    customer: CustomerInfo
    service_id: str
    service_name: str
    staff_id: str
    staff_name: str
    start: datetime
    duration: int
    buffer_before: int
    buffer_after: int
    status: Status
    price: Money
    payment_status: PaymentStatus
    created_at: datetime
    updated_at: datetime
    timezone: str
    business_phone: str = ""
    notes: str = ""
    hold_expires_at: datetime | None = None
    confirmation_sent_at: datetime | None = None
    reminder_sent_at: datetime | None = None
    rescheduled_at: datetime | None = None  # the last move, if any
    cancelled_reason: str = ""
    cancelled_by: str = ""
    reminder_offsets: tuple[str, ...] = ("24h", "2h")
    locale: str = "zh-CN"
    version: int = 0

    @classmethod
    def book(
        cls,
        customer_id: str,
        customer: CustomerInfo,
        service: Service,
        staff: StaffMember,
        slot: Slot,
        settings: BusinessSettings,
        now: datetime,
        notes: str = "",
    ) -> Appointment:
        """A free service is confirmed at once; a paid one is a pending hold until paid or expired."""
        paid = service.requires_payment
        return cls(
            id=uuid.uuid4().hex,
            customer_id=customer_id,
            customer=customer,
            service_id=service.id,
            service_name=service.name,
            staff_id=staff.id,
            staff_name=staff.name,
            start=slot.start,
            duration=service.duration,
            buffer_before=settings.buffer_before,
            buffer_after=settings.buffer_after,
            status=Status.PENDING if paid else Status.CONFIRMED,
            price=service.price,
            payment_status=PaymentStatus.AWAITING if paid else PaymentStatus.NOT_REQUIRED,
            created_at=now,
            updated_at=now,
            timezone=settings.timezone,
            business_phone=settings.business_phone,
            notes=notes,
            hold_expires_at=now + timedelta(minutes=settings.hold_minutes) if paid else None,
        )

    @classmethod
    def arrange(
        cls,
        customer_id: str,
        customer: CustomerInfo,
        service: Service,
        staff: StaffMember,
        slot: Slot,
        settings: BusinessSettings,
        now: datetime,
        notes: str = "",
    ) -> Appointment:
        """Made by the front desk for a walk-in or a phone call: pending until confirmed (second seed)."""
        booked = cls.book(customer_id, customer, service, staff, slot, settings, now, notes)
        payment = PaymentStatus.AWAITING if service.requires_payment else PaymentStatus.NOT_REQUIRED
        return replace(
            booked, status=Status.PENDING, duration=slot.duration, payment_status=payment, hold_expires_at=None
        )

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration)

    @property
    def local_start(self) -> datetime:
        """The start on the business's wall clock, as it was when booked."""
        return self.start.astimezone(ZoneInfo(self.timezone))

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(ZoneInfo(self.timezone))

    @property
    def locked_granules(self) -> list[datetime]:
        """The granules this appointment holds while open, buffers included."""
        first = self.start - timedelta(minutes=self.buffer_before)
        last = self.end + timedelta(minutes=self.buffer_after)
        return granules(first, last)

    def is_visible_to(self, actor: Actor) -> bool:
        return actor.is_staff or actor.id == self.customer_id

    def cancel(self, actor: Actor, reason: str, now: datetime, cutoff_hours: int) -> Appointment:
        ensure_transition(self.status, Status.CANCELLED)
        if not actor.is_staff and self.status is Status.CONFIRMED:  # an unpaid hold may be let go any time
            ensure_before_cutoff(self.start, now, cutoff_hours)
        return replace(
            self,
            status=Status.CANCELLED,
            cancelled_reason=reason,
            cancelled_by=actor.role.value,
            updated_at=now,
            hold_expires_at=None,
        )

    def reschedule(
        self, actor: Actor, staff: StaffMember, slot: Slot, settings: BusinessSettings, now: datetime
    ) -> Appointment:
        ensure_open(self.status)
        if not actor.is_staff:
            ensure_before_cutoff(self.start, now, settings.cancel_cutoff_hours)
        return replace(
            self,
            staff_id=staff.id,
            staff_name=staff.name,
            start=slot.start,
            buffer_before=settings.buffer_before,
            buffer_after=settings.buffer_after,
            timezone=settings.timezone,
            reminder_sent_at=None,
            rescheduled_at=now,
            updated_at=now,
        )

    def confirm(self, now: datetime) -> Appointment:
        ensure_transition(self.status, Status.CONFIRMED)
        return replace(self, status=Status.CONFIRMED, hold_expires_at=None, updated_at=now)

    def complete(self, now: datetime) -> Appointment:
        ensure_transition(self.status, Status.COMPLETED)
        return replace(self, status=Status.COMPLETED, hold_expires_at=None, updated_at=now)

    def mark_no_show(self, now: datetime) -> Appointment:
        ensure_transition(self.status, Status.NO_SHOW)
        if now < self.start:
            raise IllegalTransition("A customer can be marked as a no-show only once the appointment has started.")
        return replace(self, status=Status.NO_SHOW, hold_expires_at=None, updated_at=now)


@dataclass(frozen=True)
class Change:
    """One entry of an appointment's history: who moved it from what to what, when and why."""

    appointment_id: str
    action: str
    actor_id: str
    actor_role: str
    at: datetime
    from_status: Status | None
    to_status: Status
    reason: str = ""
    detail: str = ""

    @classmethod
    def of(cls, action: str, actor: Actor, before: Appointment | None, after: Appointment, reason: str = "") -> Change:
        detail = ""
        if before is not None and (before.start, before.staff_id) != (after.start, after.staff_id):
            was, now = before.local_start, after.local_start
            detail = f"{was:%Y-%m-%d %H:%M} {before.staff_id} -> {now:%Y-%m-%d %H:%M} {after.staff_id}"
        return cls(
            after.id,
            action,
            actor.id,
            actor.role.value,
            after.updated_at,
            before.status if before else None,
            after.status,
            reason,
            detail,
        )
