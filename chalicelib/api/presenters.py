"""Domain objects as the contract shows them: camelCase, major units, the business's wall clock."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from chalicelib.api.catalogue_presenters import resource, segments
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import Slot
from chalicelib.domain.block import Block
from chalicelib.domain.catalogue import Resource
from chalicelib.domain.customer import Customer, Record
from chalicelib.domain.deposits import Reason, Terms
from chalicelib.domain.fees import CancelQuote, Fee
from chalicelib.domain.history import Change
from chalicelib.domain.hours import format_hhmm
from chalicelib.domain.locations import MAIN
from chalicelib.domain.money import Money
from chalicelib.domain.notices import Notice, Preferences
from chalicelib.domain.parts import Part
from chalicelib.domain.payment_status import PaymentStatus
from chalicelib.domain.schedule import Conflict, Overview, StaffDay
from chalicelib.domain.status import Status
from chalicelib.domain.waitlist import Entry

if TYPE_CHECKING:
    from chalicelib.integrations.payments import Intent
    from chalicelib.services.terms import Policy


def stamp(instant: datetime | None, zone: ZoneInfo) -> str | None:
    return instant.astimezone(zone).isoformat() if instant else None


def slot(s: Slot, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "start": f"{s.start.astimezone(zone):%H:%M}",
        "end": f"{s.end.astimezone(zone):%H:%M}",
        "duration": s.duration,
    }


def appointment(a: Appointment) -> dict[str, Any]:
    zone = ZoneInfo(a.timezone)
    start, end = a.local_start, a.local_end
    return {
        "id": a.id,
        "serviceId": a.service_id,
        "serviceName": a.service_name,
        "staffId": a.staff_id,
        "staffName": a.staff_name,
        "date": f"{start:%Y-%m-%d}",
        "timeSlot": f"{start:%H:%M}",
        "endTime": f"{end:%H:%M}",
        "scheduledAt": start.isoformat(),
        "appointmentDateTime": start.isoformat(),  # what the seed's analyzeBookingPatterns reads
        "endsAt": end.isoformat(),
        "timezone": a.timezone,
        "duration": a.duration,
        "status": a.status.value,
        "totalAmount": a.price.major,
        "currency": a.price.currency,
        "paymentStatus": a.payment_status.value,
        "paidAmount": Money(a.paid_amount, a.price.currency).major,
        "refundedAmount": Money(a.refunded_amount, a.price.currency).major,
        "paymentError": a.payment_error or None,
        "paymentIntentId": a.payment_intent_id or None,
        "holdExpiresAt": stamp(a.hold_expires_at, zone),
        "customerId": a.customer_id,
        "customerInfo": {"name": a.customer.name, "phone": a.customer.phone, "email": a.customer.email},
        "notes": a.notes,
        "businessPhone": a.business_phone,
        "cancelledReason": a.cancelled_reason or None,
        "createdAt": stamp(a.created_at, zone),
        "updatedAt": stamp(a.updated_at, zone),
        "confirmationSentAt": stamp(a.confirmation_sent_at, zone),
        "reminderSentAt": stamp(a.reminder_sent_at, zone),
        "rescheduledAt": stamp(a.rescheduled_at, zone),
        "segments": segments(a.segments),
        "resources": units(a.resources),
        "assignedBy": a.assigned or None,
        "services": [part(p, zone) for p in a.performed],
        "locationId": a.location_id or MAIN,
        **payment_terms(a),
    }


REASONS = {  # why money is asked before the visit, as the customer is told, in their language
    "en": {
        Reason.PREPAYMENT: "{amount} is paid when booking.",
        Reason.DEPOSIT: "A deposit of {amount} holds the booking; the rest is paid at the visit.",
        Reason.NEW_CUSTOMER: "A deposit of {amount} is asked of new customers; the rest is paid at the visit.",
        Reason.MISSED: "A deposit of {amount} is asked because {misses} of your recent appointments were missed or "
        "cancelled late; the rest is paid at the visit.",
    },
    "zh-CN": {
        Reason.PREPAYMENT: "预约时需支付{amount}。",
        Reason.DEPOSIT: "预约需支付{amount}定金，余款到店支付。",
        Reason.NEW_CUSTOMER: "新顾客预约需支付{amount}定金，余款到店支付。",
        Reason.MISSED: "因您近期有{misses}次预约未到或逾期取消，本次预约需支付{amount}定金，余款到店支付。",
    },
}


def payment_terms(a: Appointment) -> dict[str, Any]:
    """What it asks before the visit and why, what is left for the visit, and a fee it cost."""
    asked, currency = a.asked, a.price.currency

    def major(minor: int) -> float:
        return Money(minor, currency).major

    due = asked.due if a.payment_status is PaymentStatus.AWAITING and a.status is Status.PENDING else 0
    return {
        "amountDue": major(due),
        "deposit": asked_for(asked, currency, a.locale) if asked.reason else None,
        "feesCarried": major(asked.carried),
        "balanceDue": major(a.balance_due),
        "fee": fee(a.fee, currency) if a.fee and a.fee.amount else None,
        "settledBy": a.settled_by or None,
        "offer": a.offer.value if a.offer else None,
        "waitlistEntryId": a.waitlist or None,
    }


def asked_for(terms: Terms, currency: str, locale: str) -> dict[str, Any]:
    assert terms.reason is not None
    amount = Money(terms.upfront, currency)
    said = REASONS.get(locale, REASONS["zh-CN"])[terms.reason]
    text = said.format(amount=f"{amount.major:.2f} {currency}", misses=terms.misses)
    return {"amount": amount.major, "reason": terms.reason.value, "message": text}


def fee(f: Fee, currency: str) -> dict[str, Any]:
    return {
        "kind": f.kind.value,
        "amount": Money(f.amount, currency).major,
        "kept": Money(f.kept, currency).major,
        "owed": Money(f.owed, currency).major,
        "waivedBy": f.waived_by or None,
        "waivedReason": f.waived_reason or None,
    }


def cancel_quote(q: CancelQuote, currency: str, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "online": q.online,
        "late": q.late,
        "fee": Money(q.fee, currency).major,
        "refund": Money(q.refund, currency).major,
        "lateFrom": q.late_from.astimezone(zone).isoformat(),
        "onlineUntil": q.online_until.astimezone(zone).isoformat(),
    }


def units(held: tuple[Resource, ...]) -> list[dict[str, str]]:
    return [{"id": r.id, "name": r.name, "type": r.type} for r in held]


def part(p: Part, zone: ZoneInfo) -> dict[str, Any]:
    """One service of the appointment (a visit has several), with who performs it and when."""
    start, end = p.start.astimezone(zone), p.end.astimezone(zone)
    return {
        "serviceId": p.service_id,
        "serviceName": p.service_name,
        "staffId": p.staff_id,
        "staffName": p.staff_name,
        "timeSlot": f"{start:%H:%M}",
        "endTime": f"{end:%H:%M}",
        "scheduledAt": start.isoformat(),
        "duration": p.duration,
        "totalAmount": p.price.major,
        "segments": segments(p.segments),
        "resources": units(p.resources),
        "assignedBy": p.assigned or None,
    }


def change(c: Change, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "action": c.action,
        "by": {"id": c.actor_id, "role": c.actor_role},
        "at": stamp(c.at, zone),
        "from": c.from_status.value if c.from_status else None,
        "to": c.to_status.value,
        "reason": c.reason or None,
        "detail": c.detail or None,
    }


def interval(start: datetime, end: datetime, zone: ZoneInfo) -> dict[str, str]:
    return {"start": f"{start.astimezone(zone):%H:%M}", "end": f"{end.astimezone(zone):%H:%M}"}


def block(b: Block) -> dict[str, Any]:
    zone = ZoneInfo(b.timezone)
    return {
        "id": b.id,
        "staffId": b.staff_id,
        "resourceId": b.resource_id or None,
        "date": f"{b.local_start:%Y-%m-%d}",
        **interval(b.start, b.end, zone),
        "reason": b.reason,
        "blockedBy": b.blocked_by,
        "createdAt": stamp(b.created_at, zone),
    }


def staff_day(d: StaffDay, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "date": d.day.isoformat(),
        "workingHours": [s.to_dict() for s in d.hours],
        "appointments": [appointment(a) for a in d.appointments],
        "blocks": [block(b) for b in d.blocks],
        "free": [interval(start, end, zone) for start, end in d.free],
        "freeMinutes": d.free_minutes,
    }


def overview(shown: Overview) -> dict[str, Any]:
    zone, rows = shown.zone, []
    for member, member_day in shown.staff:
        listed = staff_day(member_day, zone)
        rows.append(
            {
                "id": member.id,
                "name": member.name,
                **{k: listed[k] for k in ("workingHours", "appointments", "blocks", "free", "freeMinutes")},
            }
        )
    totals = {
        "appointments": sum(len(r["appointments"]) for r in rows),
        "blocks": sum(len(r["blocks"]) for r in rows),
        "freeMinutes": sum(r["freeMinutes"] for r in rows),
        "bookedMinutes": sum(a["duration"] for r in rows for a in r["appointments"]),
    }
    resources = [
        {
            **resource(d.resource),
            "appointments": [appointment(a) for a in d.appointments],
            "blocks": [block(b) for b in d.blocks],
            "free": [interval(start, end, zone) for start, end in d.free],
            "freeMinutes": d.free_minutes,
        }
        for d in shown.resources
    ]
    return {"overview": {"date": shown.day.isoformat(), "staff": rows, "resources": resources, "totals": totals}}


def conflict(c: Conflict, zone: ZoneInfo) -> dict[str, Any]:
    return {"type": c.type, "id": c.id or None, **interval(c.start, c.end, zone), "detail": c.detail}


def customer(c: Customer) -> dict[str, Any]:
    return {
        "id": c.id,
        "name": c.name,
        "phone": c.phone,
        "email": c.email,
        "createdAt": c.created_at.isoformat(),
        "updatedAt": c.updated_at.isoformat(),
    }


def record(r: Record) -> dict[str, Any]:
    return {
        "visits": r.visits,
        "spend": r.spend.major,
        "currency": r.spend.currency,
        "noShows": r.no_shows,
        "cancellations": r.cancellations,
        "lateCancellations": r.late_cancellations,
        "upcoming": r.upcoming,
        "lastVisit": r.last_visit.isoformat() if r.last_visit else None,
    }


def preferences(p: Preferences) -> dict[str, Any]:
    return {
        "sms": p.sms,
        "email": p.email,
        "push": p.push,
        "reminderTimes": list(p.reminder_times),
        "locale": p.locale,
    }


def queued(notice: Notice, zone: ZoneInfo) -> dict[str, Any]:
    return {
        "success": True,
        "queued": True,
        "messageId": notice.message_id,
        "kind": notice.kind.value,
        "dueAt": stamp(notice.due_at, zone),
    }


def payment(a: Appointment, intent: Intent) -> dict[str, Any]:
    """What the mini program spreads into `wx.requestPayment`, and the Stripe intent behind it."""
    return {
        "success": True,
        **intent.wechat,
        "paymentIntentId": intent.id,
        "clientSecret": intent.client_secret,
        "amount": Money(intent.amount, intent.currency).major,
        "currency": intent.currency,
        "holdExpiresAt": stamp(a.hold_expires_at, ZoneInfo(a.timezone)),
    }


def booking_policy(p: Policy) -> dict[str, Any]:
    settings, currency = p.settings, p.price.currency
    return {
        "price": p.price.major,
        "currency": currency,
        "amountDue": Money(p.terms.due, currency).major,
        "deposit": asked_for(p.terms, currency, p.locale) if p.terms.reason else None,
        "feesCarried": Money(p.terms.carried, currency).major,
        "balanceDue": Money(p.price.minor - p.terms.upfront, currency).major,
        "cancelCutoffHours": settings.cancel_cutoff_hours,
        "lateCancelHours": settings.late_cancel_hours,
        "lateCancelFee": p.fee(settings.late_cancel_fee_percent).major,
        "noShowFee": p.fee(settings.no_show_fee_percent).major,
        "holdMinutes": settings.hold_minutes,
    }


def waitlist_entry(e: Entry, today: date) -> dict[str, Any]:
    return {
        "id": e.id,
        "serviceId": e.service_id,
        "staffId": e.staff_id or None,
        "locationId": e.location_id or MAIN,
        "fromDate": e.first_day.isoformat(),
        "toDate": e.last_day.isoformat(),
        "fromTime": format_hhmm(e.from_minute),
        "toTime": format_hhmm(e.to_minute),
        "status": e.standing_on(today).value,
        "offerId": e.offer_id or None,
        "customerId": e.customer_id,
        "customerInfo": {"name": e.customer.name, "phone": e.customer.phone, "email": e.customer.email},
        "createdAt": e.created_at.isoformat(),
    }
