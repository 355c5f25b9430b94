"""What an appointment asks before the visit and costs when cancelled late or missed, the booking policy a
customer reads before booking, and a waitlist entry: as the API shows them (issue 18's deposits, fees and waitlist)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.deposits import Reason, Terms
from chalicelib.domain.fees import CancelQuote, Fee
from chalicelib.domain.hours import format_hhmm
from chalicelib.domain.locations import MAIN
from chalicelib.domain.money import Money
from chalicelib.domain.payment_status import PaymentStatus
from chalicelib.domain.status import Status
from chalicelib.domain.waitlist import Entry

if TYPE_CHECKING:
    from chalicelib.services.terms import Policy


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
        "hold": a.hold.value if a.hold else None,
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
