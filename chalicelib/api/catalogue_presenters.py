"""The catalogue as the API shows it: services, staff, rooms, locations, the business's settings and closures."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from chalicelib.domain.catalogue import BusinessSettings, Resource, Service, StaffMember
from chalicelib.domain.closures import Closure
from chalicelib.domain.locations import MAIN, Location
from chalicelib.domain.money import Money
from chalicelib.domain.segments import Segment

SETTINGS = {  # each setting's name on the wire, and its attribute: what the admin reads and may change
    "name": "name",
    "timezone": "timezone",
    "slotInterval": "slot_interval",
    "bufferBefore": "buffer_before",
    "bufferAfter": "buffer_after",
    "minNoticeMinutes": "min_notice_minutes",
    "maxDaysAhead": "max_days_ahead",
    "cancelCutoffHours": "cancel_cutoff_hours",
    "holdMinutes": "hold_minutes",
    "maxUnpaidHolds": "max_unpaid_holds",
    "maxUpcoming": "max_upcoming",
    "lateCancelHours": "late_cancel_hours",
    "lateCancelFeePercent": "late_cancel_fee_percent",
    "noShowFeePercent": "no_show_fee_percent",
    "feesOwed": "fees_owed",
    "depositPolicy": "deposit_policy",
    "depositPercent": "deposit_percent",
    "depositMisses": "deposit_misses",
    "depositMonths": "deposit_months",
    "waitlistOfferMinutes": "waitlist_offer_minutes",
    "noShowGraceMinutes": "no_show_grace_minutes",
    "businessPhone": "business_phone",
    "alertPhone": "alert_phone",
    "currency": "currency",
    "country": "country",
    "smsCountries": "sms_countries",
    "textsPerNumberPerDay": "texts_per_number_per_day",
    "textsPerCustomerPerDay": "texts_per_customer_per_day",
    "assignment": "assignment",
}


def service(s: Service) -> dict[str, Any]:
    return {
        "id": s.id,
        "name": s.name,
        "description": s.description,
        "duration": s.duration,
        "price": s.price.major,
        "currency": s.price.currency,
        "requiresPayment": s.requires_payment,
        "category": s.category,
        "segments": segments(s.segments),
        "bufferBefore": s.buffer_before,
        "bufferAfter": s.buffer_after,
        "needs": list(s.needs),
        "locationIds": sorted(s.location_ids),
        "deposit": deposit(s),
    }


def deposit(s: Service) -> dict[str, Any] | None:
    """The service's own deposit, asked when the business's policy asks one; null: the business's share."""
    if s.deposit is None:
        return None
    if s.deposit.amount:
        return {"amount": Money(s.deposit.amount, s.price.currency).major}
    return {"percent": s.deposit.percent}


def resource(r: Resource) -> dict[str, Any]:
    return {"id": r.id, "name": r.name, "type": r.type, "active": r.active, "locationId": r.location_id or MAIN}


def location(place: Location, now: datetime) -> dict[str, Any]:
    today = now.astimezone(ZoneInfo(place.timezone) if place.timezone else None).date()
    return {
        "id": place.id,
        "name": place.name,
        "address": place.address,
        "timezone": place.timezone,
        "phone": place.phone,
        "hours": place.hours.to_dict(),
        "closures": [{"date": d.isoformat(), "name": n} for d, n in sorted(place.closures.items()) if d >= today],
        "active": place.active,
    }


def segments(shown: tuple[Segment, ...]) -> list[dict[str, Any]]:
    return [{"minutes": g.minutes, "staffFree": g.staff_free, "label": g.label} for g in shown]


def staff(m: StaffMember) -> dict[str, Any]:
    return {"id": m.id, "name": m.name, "title": m.title, "avatarUrl": m.avatar_url}


def staff_with_services(m: StaffMember) -> dict[str, Any]:
    return {
        **staff(m),
        "serviceIds": sorted(m.service_ids),
        "weight": m.weight,
        "priority": m.priority,
        "locationId": m.location_id or MAIN,
        "elsewhere": {place: hours.to_dict() for place, hours in sorted(m.elsewhere.items())},
    }


def settings(s: BusinessSettings) -> dict[str, Any]:
    values = asdict(s)
    return {name: _listed(values[attribute]) for name, attribute in SETTINGS.items()}


def _listed(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def closure(c: Closure) -> dict[str, str]:
    return {"date": c.day.isoformat(), "name": c.name}
