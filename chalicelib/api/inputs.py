"""Parsing what clients send into domain values; anything wrong is an InvalidInput naming the field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime, time
from typing import Any

from chalicelib.api.docs import DATE
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.dates import supported
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.hours import WorkingHours, parse_hhmm
from chalicelib.domain.parts import MAX_SERVICES, Wanted
from chalicelib.domain.segments import Segment

_EMAIL = re.compile(r"^[^\s@]+@[^\s@]+\.[^\s@]+$")
_DATE = re.compile(DATE)
MAX_NOTES = 500


def text(body: Mapping[str, Any], name: str, *, required: bool = True, max_length: int = 200) -> str:
    value = body.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise InvalidInput(f"{name} is required.", {name: "required"})
        return ""
    if not isinstance(value, str):
        raise InvalidInput(f"{name} must be text.", {name: "expected a string"})
    if len(value) > max_length:
        raise InvalidInput(f"{name} must be at most {max_length} characters.", {name: "too long"})
    return value.strip()


def day(value: object, name: str = "date") -> date:
    if not isinstance(value, str) or not _DATE.match(value):
        raise InvalidInput(f"{name} is required as YYYY-MM-DD.", {name: "expected YYYY-MM-DD"})
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(f"{name} {value!r} is not a date (YYYY-MM-DD).", {name: "not a date"}) from None
    return supported(parsed, name)


def time_slot(value: object, name: str = "timeSlot") -> int:
    """`timeSlot` is "HH:MM" or a slot object {start, ...}; both mean the start, in minutes after midnight."""
    if isinstance(value, Mapping):
        value = value.get("start")
    return parse_hhmm(value, name)


def integer(value: str | None, name: str, default: int, low: int, high: int) -> int:
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise InvalidInput(f"{name} must be a whole number.", {name: "expected an integer"}) from None
    if not low <= number <= high:
        raise InvalidInput(f"{name} must be between {low} and {high}.", {name: "out of range"})
    return number


def choice(value: str | None, name: str, options: tuple[str, ...], default: str) -> str:
    if value is None or value == "":
        return default
    if value not in options:
        raise InvalidInput(f"{name} must be one of {', '.join(options)}.", {name: "unknown value"})
    return value


def phone_number(value: str, region: str = "CN", field: str = "customerInfo.phone") -> str:
    """A valid phone number, stored as E.164; mainland numbers may omit +86."""
    import phonenumbers  # deferred: its metadata is only needed when someone books

    try:
        parsed = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is None or not phonenumbers.is_valid_number(parsed):
        raise InvalidInput("Please enter a valid phone number.", {field: "invalid phone number"})
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def customer_info(raw: object) -> tuple[CustomerInfo, str]:
    """The booking form's customer block, and its notes."""
    if not isinstance(raw, Mapping):
        raise InvalidInput("customerInfo is required.", {"customerInfo": "required"})
    name = text(raw, "name", max_length=100)
    phone = phone_number(text(raw, "phone", max_length=32))
    email = text(raw, "email", required=False, max_length=254)
    if email and not _EMAIL.match(email):
        raise InvalidInput("Please enter a valid email address.", {"customerInfo.email": "invalid email"})
    notes = text(raw, "notes", required=False, max_length=MAX_NOTES)
    return CustomerInfo(name, phone, email.lower()), notes


def time_range(value: object, name: str = "timeSlot") -> tuple[int, int | None]:
    """ "HH:MM" (one slot interval), "HH:MM-HH:MM", or {start, end}: minutes after midnight."""
    if isinstance(value, Mapping):
        end = value.get("end")
        return parse_hhmm(value.get("start"), name), parse_hhmm(end, name, True) if end is not None else None
    if isinstance(value, str) and "-" in value:
        start, _, end = value.partition("-")
        return parse_hhmm(start.strip(), name), parse_hhmm(end.strip(), name, allow_midnight_end=True)
    return parse_hhmm(value, name), None


def moment(body: Mapping[str, Any]) -> datetime:
    """`scheduledAt` as ISO 8601 (with or without offset), or `date` + `timeSlot` on the business's clock."""
    raw = body.get("scheduledAt")
    if raw is None:
        minutes = time_slot(body.get("timeSlot"))
        return datetime.combine(day(body.get("date")), time(minutes // 60, minutes % 60))
    try:
        parsed = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        parsed = None
    if parsed is None:
        raise InvalidInput("scheduledAt must be an ISO 8601 date and time.", {"scheduledAt": "invalid"})
    supported(parsed.date(), "scheduledAt")
    if parsed.second or parsed.microsecond or parsed.minute % 5:
        raise InvalidInput("scheduledAt must fall on a 5-minute mark.", {"scheduledAt": "not on a 5-minute mark"})
    if body.get("date") is not None:  # sent beside it: never ignored, so it must be valid and the same day
        given = day(body.get("date"))
        if parsed.tzinfo is None and given != parsed.date():
            raise InvalidInput("date and scheduledAt name different days.", {"date": "differs from scheduledAt"})
    return parsed


def duration(value: object) -> int | None:
    """Minutes as a whole number; how long is allowed is the domain's rule (`rules.check_duration`)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput("duration must be a whole number of minutes.", {"duration": "expected an integer"})
    return value


def contact(raw: object) -> CustomerInfo:
    """Name and phone (and email) for a customer the front desk books."""
    info, _ = customer_info(raw)
    return info


def codes(body: Mapping[str, Any], name: str, most: int = 50) -> tuple[str, ...]:
    """A list of short upper-case codes (countries, currencies), without repeats."""
    value = body.get(name)
    if not isinstance(value, list) or len(value) > most or not all(isinstance(v, str) and len(v) <= 8 for v in value):
        raise InvalidInput(f"{name} must be a list of at most {most} codes.", {name: "expected a list of codes"})
    return tuple(dict.fromkeys(v.strip().upper() for v in value))


def flag(body: Mapping[str, Any], name: str, default: bool = False) -> bool:
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise InvalidInput(f"{name} must be true or false.", {name: "expected a boolean"})
    return value


def segments(raw: object) -> tuple[Segment, ...]:
    """`[{minutes, staffFree?, label?}, ...]` (null or [] for none); whether they fit the service is the domain's."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or not all(isinstance(item, Mapping) for item in raw):
        raise InvalidInput("segments must be a list of {minutes, staffFree, label}.", {"segments": "expected a list"})
    found = []
    for item in raw:
        unknown = set(item) - {"minutes", "staffFree", "label"}
        minutes = item.get("minutes")
        if unknown or isinstance(minutes, bool) or not isinstance(minutes, int):
            raise InvalidInput("Each segment is {minutes, staffFree, label}.", {"segments": "wrong shape"})
        label = text(item, "label", required=False, max_length=100)
        found.append(Segment(minutes, flag(item, "staffFree"), label))
    return tuple(found)


MAX_NEEDS = 3


def resource_type(value: object, name: str = "type") -> str:
    """A resource type as services name it: "Treatment  Room" and "treatment room" are one type."""
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"{name} must be a resource type such as 'treatment room'.", {name: "required"})
    kind = " ".join(value.split()).lower()
    if len(kind) > 60:
        raise InvalidInput(f"{name} must be at most 60 characters.", {name: "too long"})
    return kind


def needs(raw: object) -> tuple[str, ...]:
    """`["treatment room", ...]`: the resource types a service needs one unit of each (null or [] for none)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > MAX_NEEDS:
        raise InvalidInput(f"needs must be a list of at most {MAX_NEEDS} resource types.", {"needs": "expected a list"})
    kinds = tuple(resource_type(kind, "needs") for kind in raw)
    if len(set(kinds)) != len(kinds):
        raise InvalidInput("Each resource type is needed once.", {"needs": "repeated"})
    return kinds


def deposit(raw: object) -> dict[str, object] | None:
    """`{"amount": 30}` (major units) or `{"percent": 20}` of the price, or null for the business's share."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or len(raw) != 1 or not set(raw) <= {"amount", "percent"}:
        raise InvalidInput('deposit is {"amount": 30} or {"percent": 20}, or null.', {"deposit": "amount or percent"})
    percent = raw.get("percent")
    if "percent" in raw and (isinstance(percent, bool) or not isinstance(percent, int) or not 1 <= percent <= 100):
        raise InvalidInput("A deposit's percent is a whole number from 1 to 100.", {"deposit": "out of range"})
    return dict(raw)


def minutes_or_none(body: Mapping[str, Any], name: str) -> int | None:
    """A whole number of minutes, or null for "the business's"."""
    value = body[name]
    if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
        raise InvalidInput(f"{name} must be minutes or null.", {name: "wrong type"})
    return value


def closures(raw: object) -> dict[date, str]:
    """`[{date, name}, ...]`: days a location alone is shut."""
    if not isinstance(raw, list) or len(raw) > 100 or not all(isinstance(item, Mapping) for item in raw):
        raise InvalidInput("closures must be a list of at most 100 {date, name}.", {"closures": "expected a list"})
    return {day(item.get("date"), "closures"): text(item, "name", required=False, max_length=100) for item in raw}


def location_ids(raw: object) -> tuple[str, ...]:
    """`["main", "loc-..."]`: the locations a service is offered at ([] or null: everywhere)."""
    if raw is None:
        return ()
    if not isinstance(raw, list) or len(raw) > 50 or not all(isinstance(i, str) and 0 < len(i) <= 64 for i in raw):
        raise InvalidInput("locationIds must be a list of location ids.", {"locationIds": "expected a list"})
    return tuple(dict.fromkeys(raw))


def elsewhere(raw: object) -> dict[str, WorkingHours | None]:
    """`{locationId: hours or null}`: a staff member's hours at other locations; null drops a location."""
    if not isinstance(raw, Mapping) or len(raw) > 50 or not all(isinstance(k, str) and 0 < len(k) <= 64 for k in raw):
        raise InvalidInput("elsewhere must map location ids to hours.", {"elsewhere": "expected an object"})
    return {place: None if hours is None else WorkingHours.from_dict(hours) for place, hours in raw.items()}


def visit(raw: object) -> tuple[Wanted, ...]:
    """The body's `services`: `[{serviceId, staffId?}, ...]`, the visit's services in the order they follow each
    other, each with its staff member, or none / "any" for the business to choose."""
    if not isinstance(raw, list) or not 1 <= len(raw) <= MAX_SERVICES or not all(isinstance(i, Mapping) for i in raw):
        raise InvalidInput(
            f"services must be a list of 1 to {MAX_SERVICES} {{serviceId, staffId}}.", {"services": "expected a list"}
        )
    found = []
    for item in raw:
        if set(item) - {"serviceId", "staffId"}:
            raise InvalidInput("Each of services is {serviceId, staffId}.", {"services": "wrong shape"})
        found.append(Wanted(text(item, "serviceId"), text(item, "staffId", required=False) or None))
    return tuple(found)


def visit_query(value: str | None) -> tuple[Wanted, ...]:
    """The query's `services`: "svc-cut:staff-li,svc-colour", each service optionally with its staff member."""
    items = [] if value is None else [i.strip() for i in value.split(",")]
    if not 1 <= len(items) <= MAX_SERVICES or not all(items) or len(value or "") > 1000:
        raise InvalidInput(
            f"services must be 1 to {MAX_SERVICES} serviceId[:staffId], comma-separated.", {"services": "wrong shape"}
        )
    found = []
    for item in items:
        service_id, _, staff_id = item.partition(":")
        if not service_id.strip():
            raise InvalidInput("Each of services starts with a serviceId.", {"services": "wrong shape"})
        found.append(Wanted(service_id.strip(), staff_id.strip() or None))
    return tuple(found)
