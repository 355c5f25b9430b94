"""The appointment and what may happen to it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from chalicelib.domain.availability import Slot, granules
from chalicelib.domain.catalogue import BusinessSettings, Service, StaffMember
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
    cancelled_reason: str = ""
    cancelled_by: str = ""
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
            updated_at=now,
        )
