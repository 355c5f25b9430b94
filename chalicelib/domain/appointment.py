"""The appointment and what may happen to it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.domain.actor import Actor
from chalicelib.domain.availability import Slot
from chalicelib.domain.catalogue import BusinessSettings, Resource, Service, StaffMember
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.deposits import NO_TERMS, Reason, Terms
from chalicelib.domain.errors import AppointmentClosed, HoldExpired, IllegalTransition, PaymentNotDue
from chalicelib.domain.fees import Fee, FeeKind, fee_for, is_late
from chalicelib.domain.holds import Hold
from chalicelib.domain.money import Money
from chalicelib.domain.occupancy import Interval, resource_calendar, staff_calendar
from chalicelib.domain.parts import Part, staff_names, units_held
from chalicelib.domain.payment_status import PaymentStatus
from chalicelib.domain.policy import ensure_before_cutoff
from chalicelib.domain.segments import Segment, staff_time
from chalicelib.domain.status import Status, ensure_open, ensure_transition
from chalicelib.domain.waitlist import Offer

DEFAULT_REMINDERS = ("24h", "2h")


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
    payment_intent_id: str = ""
    paid_amount: int = 0  # minor units, as the payment provider reported them
    refunded_amount: int = 0
    refund_requested: int = 0  # what the refund policy gave back when it was cancelled
    payment_error: str = ""  # why the latest attempt was declined, until the money is taken
    payment_error_at: datetime | None = None  # when the provider said so
    cancelled_reason: str = ""
    cancelled_by: str = ""
    reminder_offsets: tuple[str, ...] = DEFAULT_REMINDERS
    locale: str = "zh-CN"
    segments: tuple[Segment, ...] = ()  # the service's, as booked: when the staff member is free meanwhile
    resources: tuple[Resource, ...] = ()  # the units it holds besides the staff member (a room, a chair)
    assigned: str = ""  # booked for any staff: the policy that chose the staff member (domain/assignment.py)
    parts: tuple[Part, ...] = ()  # a visit of several services (domain/parts.py); none: this one service
    location_id: str = ""  # where (domain/locations.py); none: the business's own
    terms: Terms = NO_TERMS  # a deposit or fees carried asked before the visit (domain/deposits.py); see `asked`
    fee: Fee | None = None  # a late cancellation's or a no-show's (domain/fees.py)
    settled_by: str = ""  # how the rest of the price was paid at the visit (cash, card, ...)
    waitlist: str = ""  # the waitlist entry it was offered to (domain/waitlist.py)
    offer: Offer | None = None  # made from the waitlist: offered, accepted or passed
    hold: Hold | None = None  # placed as a short hold by its customer: placed, booked or released (domain/holds.py)
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
        buffer_before, buffer_after = service.buffers(settings)
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
            buffer_before=buffer_before,
            buffer_after=buffer_after,
            status=Status.PENDING if paid else Status.CONFIRMED,
            price=service.price,
            payment_status=PaymentStatus.of(0, 0, paid),
            created_at=now,
            updated_at=now,
            timezone=settings.timezone,
            business_phone=settings.business_phone,
            notes=notes,
            hold_expires_at=now + timedelta(minutes=settings.hold_minutes) if paid else None,
            segments=service.segments,
        )

    def asking(self, terms: Terms, settings: BusinessSettings, now: datetime) -> Appointment:
        """Booked on these terms: anything due before the visit (a deposit, fees owed) makes it a pending hold until
        paid, as a prepaid booking is. Its whole price and nothing else is what a prepaid booking always asked: it
        keeps no terms (`asked`)."""
        due = terms.due
        if terms == Terms(self.price.minor, Reason.PREPAYMENT):
            terms = NO_TERMS
        if not due:
            return replace(self, terms=terms)
        held = now + timedelta(minutes=settings.hold_minutes)
        return replace(
            self, terms=terms, status=Status.PENDING, payment_status=PaymentStatus.AWAITING, hold_expires_at=held
        )

    def as_offer(self, entry_id: str, settings: BusinessSettings, now: datetime) -> Appointment:
        """Offered to a waiting customer: its time held for them until they book it or the offer lapses."""
        return self._held_for(
            now + timedelta(minutes=settings.waitlist_offer_minutes), waitlist=entry_id, offer=Offer.OFFERED
        )

    def _held_for(self, until: datetime, **marks: Any) -> Appointment:
        """Its time held for its customer until then, asking nothing until they book it (an offer, a short hold)."""
        return replace(
            self,
            status=Status.PENDING,
            payment_status=PaymentStatus.NOT_REQUIRED,
            hold_expires_at=until,
            terms=NO_TERMS,
            **marks,
        )

    def _booked_from_hold(self, terms: Terms, settings: BusinessSettings, now: datetime, **marks: Any) -> Appointment:
        """Held time booked by its customer: on the terms of any booking of theirs (a deposit, a prepayment)."""
        booked = replace(
            self,
            status=Status.CONFIRMED,
            payment_status=PaymentStatus.NOT_REQUIRED,
            hold_expires_at=None,
            updated_at=now,
            **marks,
        )
        return booked.asking(terms, settings, now)

    def accept_offer(self, terms: Terms, settings: BusinessSettings, now: datetime) -> Appointment:
        """The customer books the time offered to them: on the terms of any booking (a deposit, a prepayment)."""
        if self.offer is not Offer.OFFERED or self.status is not Status.PENDING:
            raise IllegalTransition("This is not an open offer.")
        if self.hold_lapsed(now):
            raise HoldExpired("The offer was held for a limited time, which has passed.")
        return self._booked_from_hold(terms, settings, now, offer=Offer.ACCEPTED)

    @property
    def is_offer(self) -> bool:
        """An open offer from the waitlist: not booked by its customer yet."""
        return self.offer is Offer.OFFERED

    def as_hold(self, minutes: int, now: datetime) -> Appointment:
        """Held for its customer for `minutes`, asking nothing, until they book it or it is released."""
        return self._held_for(now + timedelta(minutes=minutes), hold=Hold.PLACED)

    def book_hold(self, terms: Terms, settings: BusinessSettings, now: datetime) -> Appointment:
        """The customer books the time they held: on the terms of any booking (a deposit, a prepayment)."""
        if not self.is_held:
            raise IllegalTransition("This is not a hold placed and not yet booked.")
        if self.hold_lapsed(now):
            raise HoldExpired("The time was held for a few minutes, which have passed; please hold it again.")
        return self._booked_from_hold(terms, settings, now, hold=Hold.BOOKED)

    @property
    def is_held(self) -> bool:
        """A short hold of its customer's: not booked by them yet."""
        return self.hold is Hold.PLACED and self.status is Status.PENDING

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
        own = booked.segments if slot.duration == service.duration else ()  # another length: busy throughout
        return replace(booked, status=Status.PENDING, duration=slot.duration, hold_expires_at=None, segments=own)

    @property
    def end(self) -> datetime:
        return self.start + timedelta(minutes=self.duration)

    @property
    def asked(self) -> Terms:
        """What it asks before the visit. A prepaid booking that asked nothing else keeps no terms: its price."""
        if self.terms != NO_TERMS or self.payment_status is PaymentStatus.NOT_REQUIRED or self.is_offer or self.is_held:
            return self.terms  # an offer asks nothing until it is booked
        return Terms(self.price.minor, Reason.PREPAYMENT)

    @property
    def refundable(self) -> int:
        """What was paid towards it and not given back or promised back: fees carried from before are not its."""
        given = max(self.refunded_amount, self.refund_requested)
        return max(0, self.paid_amount - given - min(self.paid_amount, self.terms.carried))

    @property
    def balance_due(self) -> int:
        """What is left to pay at the visit: the price less what was paid towards it online (none once final: a
        completed visit was settled at the desk, `settled_by`)."""
        if self.status.is_final:
            return 0
        return max(0, self.price.minor - min(self.asked.upfront, self.paid_amount))

    @property
    def missed(self) -> bool:
        """A no-show or a late cancellation: what the deposit policy counts against a customer."""
        return self.status is Status.NO_SHOW or (self.fee is not None and self.fee.kind is FeeKind.LATE_CANCEL)

    @property
    def owes(self) -> int:
        """What it adds to its customer's balance of fees owed: a fee no payment covered (unless waived), less the
        fees from before it carries (settled by its payment, or taken over until it is let go unpaid)."""
        owed = self.fee.owed if self.fee and not self.fee.waived else 0
        given_back = self.paid_amount == 0 or self.refund_requested >= self.paid_amount  # a payment too late
        let_go = self.status is Status.CANCELLED and given_back
        return owed - (0 if let_go else self.terms.carried)

    @property
    def local_start(self) -> datetime:
        """The start on the business's wall clock, as it was when booked."""
        return self.start.astimezone(ZoneInfo(self.timezone))

    @property
    def local_end(self) -> datetime:
        return self.end.astimezone(ZoneInfo(self.timezone))

    @property
    def holder(self) -> str:
        return f"APPT#{self.id}"

    @property
    def span(self) -> Interval:
        """From the first buffer's start to the last one's end: what its resources are held for."""
        return self.start - timedelta(minutes=self.buffer_before), self.end + timedelta(minutes=self.buffer_after)

    @property
    def performed(self) -> tuple[Part, ...]:
        """Its services in order: a visit's parts, or the one service it is."""
        if self.parts:
            return self.parts
        needs = tuple(unit.type for unit in self.resources)
        return (
            Part(
                self.service_id,
                self.service_name,
                self.staff_id,
                self.staff_name,
                self.start,
                self.duration,
                self.price,
                self.segments,
                needs,
                self.resources,
                self.assigned,
            ),
        )

    @property
    def stretches(self) -> list[tuple[Part, list[Interval], Interval]]:
        """Each service with when its staff member is busy (not during processing time) and the span its units are
        held for: the buffers before the first service and after the last, none between (the customer stays)."""
        performed, found = self.performed, []
        for i, part in enumerate(performed):
            before = self.buffer_before if i == 0 else 0
            after = self.buffer_after if i == len(performed) - 1 else 0
            busy = staff_time(part.start, part.duration, part.segments, before, after)
            found.append((part, busy, (part.start - timedelta(minutes=before), part.end + timedelta(minutes=after))))
        return found

    @property
    def held(self) -> dict[str, list[Interval]]:
        """The calendars it takes: each service's staff member while busy, and each unit it holds throughout."""
        taken: dict[str, list[Interval]] = {}
        for part, busy, span in self.stretches:
            taken.setdefault(staff_calendar(part.staff_id), []).extend(busy)
            for unit in part.resources:
                taken.setdefault(resource_calendar(unit.id), []).append(span)
        return taken

    @property
    def occupied(self) -> dict[str, list[Interval]]:
        """The calendars this appointment takes while open (`held`); none once final."""
        return {} if self.status.is_final else self.held

    def is_visible_to(self, actor: Actor) -> bool:
        return actor.is_staff or actor.id == self.customer_id

    def cancel(
        self,
        actor: Actor,
        reason: str,
        now: datetime,
        settings: BusinessSettings,
        *,
        for_customer: bool = False,
    ) -> Appointment:
        """Cancelled, with what the refund policy gives back if it was paid.

        `for_customer`: staff cancelling because the customer asked (a late call), not the business.
        """
        ensure_transition(self.status, Status.CANCELLED)
        if self.is_offer:  # let pass: its time goes to the next in line
            return self._passed(now, reason or "offer_passed", actor.role.value)
        if self.is_held:
            return self._released(now, reason or "hold_released", actor.role.value)
        if not actor.is_staff and self.status is Status.CONFIRMED:  # an unpaid hold may be let go any time
            ensure_before_cutoff(self.start, now, settings.cancel_cutoff_hours)
        fee = self.cancellation_fee(actor, now, settings, for_customer=for_customer)
        return replace(
            self,
            status=Status.CANCELLED,
            cancelled_reason=reason,
            cancelled_by=actor.role.value,
            updated_at=now,
            hold_expires_at=None,
            refund_requested=self.refund_requested + self.refundable - (fee.kept if fee else 0),
            payment_status=self._closed_payment_status,
            fee=fee,
        )

    def cancellation_fee(
        self, actor: Actor, now: datetime, settings: BusinessSettings, *, for_customer: bool = False
    ) -> Fee | None:
        """The fee a cancellation now would cost: none when the business cancels, when it is in time, or for an
        unpaid hold let go (it held nothing it was paid for)."""
        by_business = actor.is_staff and not for_customer
        if by_business or self.hold_lapses_at is not None or not is_late(self.start, now, settings):
            return None
        return fee_for(FeeKind.LATE_CANCEL, self.price, self.refundable, settings)

    def expire_hold(self, now: datetime) -> Appointment:
        """An unpaid hold past its time lets its time go."""
        if not self.hold_lapsed(now):
            raise IllegalTransition("Only an unpaid hold past its expiry can expire.")
        if self.is_offer:
            return self._passed(now, "offer_lapsed", "system")
        if self.is_held:
            return self._released(now, "hold_expired", "system")
        return replace(
            self,
            status=Status.CANCELLED,
            cancelled_reason="hold_expired",
            cancelled_by="system",
            hold_expires_at=None,
            updated_at=now,
            payment_status=self._closed_payment_status,
        )

    def _passed(self, now: datetime, reason: str, by: str) -> Appointment:
        return replace(
            self,
            status=Status.CANCELLED,
            offer=Offer.PASSED,
            cancelled_reason=reason,
            cancelled_by=by,
            hold_expires_at=None,
            updated_at=now,
            payment_status=PaymentStatus.NOT_REQUIRED,  # nothing was asked of them
        )

    def _released(self, now: datetime, reason: str, by: str) -> Appointment:
        return replace(
            self,
            status=Status.CANCELLED,
            hold=Hold.RELEASED,
            cancelled_reason=reason,
            cancelled_by=by,
            hold_expires_at=None,
            updated_at=now,
        )

    @property
    def _closed_payment_status(self) -> PaymentStatus:
        return PaymentStatus.UNPAID if self.payment_status is PaymentStatus.AWAITING else self.payment_status

    @property
    def hold_lapses_at(self) -> datetime | None:
        """When an unpaid hold lets its time go; None once paid, cancelled or made by staff."""
        if self.status is Status.PENDING and (
            self.payment_status is PaymentStatus.AWAITING or self.is_offer or self.is_held
        ):
            return self.hold_expires_at
        return None

    def hold_lapsed(self, now: datetime) -> bool:
        return self.hold_lapses_at is not None and self.hold_lapses_at <= now

    def ensure_payable(self, now: datetime) -> None:
        """Only an unpaid hold that has not lapsed can be paid."""
        if self.is_offer:
            raise PaymentNotDue("Book the time offered first: POST /appointments/{id}/accept.")
        if self.is_held:
            raise PaymentNotDue("Book the time held first: POST /appointments/{id}/book.")
        if self.payment_status is PaymentStatus.NOT_REQUIRED:
            raise PaymentNotDue("This appointment needs no payment.")
        if self.paid_amount > 0:
            raise PaymentNotDue("This appointment is paid already.")
        if self.status is not Status.PENDING:
            raise AppointmentClosed(f"The appointment is {self.status.value}; it cannot be paid.")
        if self.hold_lapsed(now):
            raise HoldExpired("The time was held for a limited period, which has passed; please book again.")

    def overdue(self, now: datetime, grace: timedelta) -> bool:
        """Confirmed, and its end plus the grace period has passed without it being completed."""
        return self.status is Status.CONFIRMED and self.end + grace <= now

    def moved_from(self, before: Appointment | None) -> bool:
        def where(a: Appointment) -> list[tuple[datetime, str]]:
            return [(p.start, p.staff_id) for p in a.performed]

        return before is not None and where(before) != where(self)

    def reschedule(
        self,
        actor: Actor,
        staff: StaffMember,
        slot: Slot,
        settings: BusinessSettings,
        now: datetime,
        parts: tuple[Part, ...] = (),
    ) -> Appointment:
        """Moved to the slot with the staff member; a visit to its parts as planned there (the same services in the
        same order, each with its staff member)."""
        ensure_open(self.status)
        self._ensure_not_offer()
        if not actor.is_staff:
            ensure_before_cutoff(self.start, now, settings.cancel_cutoff_hours)
        moved = replace(
            self,
            staff_id=staff.id,
            staff_name=staff.name,
            start=slot.start,  # its length and buffers stay as made: what could be made can be moved
            timezone=settings.timezone,
            reminder_sent_at=None,
            rescheduled_at=now,
            updated_at=now,
        )
        if not self.parts:
            return moved
        return replace(moved, parts=parts, staff_name=staff_names(parts), resources=units_held(parts))

    def _ensure_not_offer(self) -> None:
        if self.is_offer:
            raise IllegalTransition("This time is offered to a waiting customer: they book it or let it pass.")
        if self.is_held:
            raise IllegalTransition("This time is held for a customer for a few minutes: they book it or let it go.")

    def confirm(self, now: datetime) -> Appointment:
        ensure_transition(self.status, Status.CONFIRMED)
        self._ensure_not_offer()
        return replace(self, status=Status.CONFIRMED, hold_expires_at=None, updated_at=now)

    def complete(self, now: datetime, settled_by: str = "") -> Appointment:
        """Done; `settled_by`: how the rest of the price was paid at the visit (a deposit counts towards it)."""
        ensure_transition(self.status, Status.COMPLETED)
        if now < self.start:
            raise IllegalTransition("An appointment can be completed only once it has started.")
        return replace(self, status=Status.COMPLETED, hold_expires_at=None, updated_at=now, settled_by=settled_by)

    def mark_no_show(self, now: datetime, settings: BusinessSettings) -> Appointment:
        """The customer did not come: the no-show fee is kept from what they paid, the rest refunded."""
        ensure_transition(self.status, Status.NO_SHOW)
        if now < self.start:
            raise IllegalTransition("A customer can be marked as a no-show only once the appointment has started.")
        fee = fee_for(FeeKind.NO_SHOW, self.price, self.refundable, settings)
        refund = self.refund_requested + self.refundable - fee.kept
        return replace(
            self, status=Status.NO_SHOW, hold_expires_at=None, updated_at=now, fee=fee, refund_requested=refund
        )

    def waive_fee(self, actor: Actor, reason: str, now: datetime) -> Appointment:
        """Staff let the customer off: what the fee kept is refunded, what it left owed is no longer owed."""
        if self.fee is None or self.fee.waived or not self.fee.amount:
            raise IllegalTransition("This appointment has no fee to waive.")
        waived = self.fee.waive(actor.name or actor.id, reason)
        return replace(self, fee=waived, refund_requested=self.refund_requested + self.fee.kept, updated_at=now)
