"""Domain objects as the contract shows them: camelCase, major units, the business's wall clock."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from chalicelib.api import revenue_presenters
from chalicelib.api.catalogue_presenters import resource, segments
from chalicelib.domain.appointment import Appointment
from chalicelib.domain.availability import Slot
from chalicelib.domain.block import Block
from chalicelib.domain.catalogue import Resource
from chalicelib.domain.customer import Customer, Record
from chalicelib.domain.history import Change
from chalicelib.domain.locations import MAIN
from chalicelib.domain.money import Money
from chalicelib.domain.notices import Notice, Preferences
from chalicelib.domain.parts import Part
from chalicelib.domain.schedule import Conflict, Overview, StaffDay

if TYPE_CHECKING:
    from chalicelib.integrations.payments import Intent


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
        **revenue_presenters.payment_terms(a),
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
