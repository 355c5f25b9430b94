"""What makes settings, services and staff valid: checked before anything is stored."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from chalicelib.domain.assignment import PRIORITIES, WEIGHTS, policy_of
from chalicelib.domain.block import MAX_BLOCK
from chalicelib.domain.catalogue import BusinessSettings, Service, StaffMember
from chalicelib.domain.deposits import DepositPolicy, check_deposit
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.money import MINOR_UNITS
from chalicelib.domain.segments import check_segments
from chalicelib.domain.texting import check_business_phone, check_country

# A service may last a working day and a night: a spa day, a long tattoo session. Its transaction holds at
# most two calendar days per calendar whatever the length (store/occupancy.py), so the cap is the business's.
MAX_DURATION = 12 * 60
MAX_BUFFERS = 60
LONGEST_HOLD = max(MAX_BLOCK, timedelta(minutes=MAX_DURATION + MAX_BUFFERS))  # of a block or an appointment

_RANGES = {
    "slot_interval": ("slotInterval", 5, 240),
    "buffer_before": ("bufferBefore", 0, 120),
    "buffer_after": ("bufferAfter", 0, 120),
    "min_notice_minutes": ("minNoticeMinutes", 0, 7 * 24 * 60),
    "max_days_ahead": ("maxDaysAhead", 1, 365),
    "cancel_cutoff_hours": ("cancelCutoffHours", 0, 7 * 24),
    "hold_minutes": ("holdMinutes", 5, 120),
    "max_unpaid_holds": ("maxUnpaidHolds", 1, 20),
    "max_upcoming": ("maxUpcoming", 1, 100),
    "late_cancel_hours": ("lateCancelHours", 0, 7 * 24),
    "late_cancel_fee_percent": ("lateCancelFeePercent", 0, 100),
    "no_show_fee_percent": ("noShowFeePercent", 0, 100),
    "deposit_percent": ("depositPercent", 0, 100),
    "deposit_misses": ("depositMisses", 1, 20),
    "deposit_months": ("depositMonths", 1, 24),
    "waitlist_offer_minutes": ("waitlistOfferMinutes", 5, 24 * 60),
    "no_show_grace_minutes": ("noShowGraceMinutes", 0, 240),
    "texts_per_number_per_day": ("textsPerNumberPerDay", 1, 50),
    "texts_per_customer_per_day": ("textsPerCustomerPerDay", 1, 50),
}
_FIVE_MINUTE_STEPS = ("slot_interval", "buffer_before", "buffer_after")


def check_settings(settings: BusinessSettings) -> None:
    for attribute, (name, low, high) in _RANGES.items():
        value = getattr(settings, attribute)
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(f"{name} must be a whole number from {low} to {high}.", {name: "out of range"})
        if attribute in _FIVE_MINUTE_STEPS and value % 5:
            raise InvalidInput(f"{name} must be a multiple of 5 minutes.", {name: "not a multiple of 5"})
    try:
        ZoneInfo(settings.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(f"{settings.timezone!r} is not a time zone.", {"timezone": "unknown"}) from None
    if settings.currency not in MINOR_UNITS:
        raise InvalidInput(f"currency must be one of {', '.join(MINOR_UNITS)}.", {"currency": "unsupported"})
    check_country(settings.country, "country")
    for country in settings.sms_countries:
        check_country(country, "smsCountries")
    check_business_phone(settings.alert_phone)
    policy_of(settings.assignment)
    if settings.deposit_policy not in set(DepositPolicy):
        choices = ", ".join(DepositPolicy)
        raise InvalidInput(f"depositPolicy must be one of {choices}.", {"depositPolicy": "unknown"})
    if not isinstance(settings.fees_owed, bool):
        raise InvalidInput("feesOwed must be true or false.", {"feesOwed": "not a boolean"})
    if settings.buffer_before + settings.buffer_after > MAX_BUFFERS:
        raise InvalidInput(f"Buffers may add up to at most {MAX_BUFFERS} minutes.", {"bufferAfter": "too long"})


def check_duration(duration: object) -> int:
    """How long an appointment may last, buffers aside: one rule for services, appointments staff make, and
    moves (which keep the appointment's own length)."""
    if isinstance(duration, bool) or not isinstance(duration, int) or duration < 5 or duration % 5:
        raise InvalidInput("duration must be 5 minutes or more, in steps of 5.", {"duration": "out of range"})
    if duration > MAX_DURATION:
        raise InvalidInput(
            f"duration may be at most {MAX_DURATION} minutes ({MAX_DURATION // 60} hours).", {"duration": "too long"}
        )
    return duration


def check_staff(member: StaffMember) -> None:
    """Their share and priority for "any staff" bookings (domain/assignment.py)."""
    for value, name, (low, high) in ((member.weight, "weight", WEIGHTS), (member.priority, "priority", PRIORITIES)):
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise InvalidInput(f"{name} must be a whole number from {low} to {high}.", {name: "out of range"})


def check_service(service: Service, settings: BusinessSettings) -> None:
    check_duration(service.duration)
    check_segments(service.segments, service.duration)
    for value, name in ((service.buffer_before, "bufferBefore"), (service.buffer_after, "bufferAfter")):
        if value is not None and (
            isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 120 or value % 5
        ):
            raise InvalidInput(f"{name} must be 0 to 120 minutes, in steps of 5.", {name: "out of range"})
    if sum(service.buffers(settings)) > MAX_BUFFERS:
        raise InvalidInput(f"Buffers may add up to at most {MAX_BUFFERS} minutes.", {"bufferAfter": "too long"})
    check_deposit(service.deposit, service.price)
    if service.price.currency != settings.currency:
        raise InvalidInput(f"Prices are in {settings.currency}.", {"currency": "not the business's currency"})
