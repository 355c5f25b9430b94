"""Items to domain objects and back: each field by its declaration (store/fields.py); by hand only the
keys and the fields kept otherwise, named in each item's `StoredFields`."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, fields
from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.block import Block
from chalicelib.domain.catalogue import Resource
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.customer import Customer
from chalicelib.domain.deposits import Reason, Terms
from chalicelib.domain.fees import Fee, FeeKind
from chalicelib.domain.history import Change
from chalicelib.domain.money import Money
from chalicelib.domain.notices import Notice, Preferences
from chalicelib.domain.parts import Part
from chalicelib.domain.segments import Segment
from chalicelib.domain.status import Status
from chalicelib.domain.visits import share_of
from chalicelib.store.fields import StoredFields
from chalicelib.store.models import (
    AppointmentItem,
    AuditItem,
    BlockItem,
    CustomerItem,
    NoticeItem,
    PreferencesItem,
    ShareItem,
)

APPOINTMENT = StoredFields(
    Appointment,
    apart=frozenset({"id", "customer", "price", "segments", "resources", "parts", "terms", "fee"}),  # key; JSON;
    # 2 attributes; JSONs
    renamed={
        "paid_amount": "paid_minor",
        "refunded_amount": "refunded_minor",
        "refund_requested": "refund_requested_minor",
    },
    # "none yet" is a condition on the write (payment_intent_id, version); the rest would only take bytes: an item
    # written with them empty, as before, reads the same
    absent_when_empty=frozenset(
        {"payment_intent_id", "version", "buffer_before", "buffer_after", "notes", "business_phone"}
        | {"paid_amount", "refunded_amount", "refund_requested", "payment_error", "cancelled_reason", "cancelled_by"}
        | {"assigned", "location_id", "settled_by", "waitlist", "offer", "hold"}
    ),
)
CHANGE = StoredFields(Change, apart=frozenset({"appointment_id"}))  # in the key
BLOCK = StoredFields(Block, apart=frozenset({"id"}), absent_when_empty=frozenset({"resource_id"}))
CUSTOMER = StoredFields(Customer, apart=frozenset({"id"}))
NOTICE = StoredFields(Notice, apart=frozenset({"appointment_id"}), renamed={"kind": "notice_kind"})


def segments_of(raw: Any) -> tuple[Segment, ...]:
    return tuple(Segment(int(s["minutes"]), bool(s.get("staff_free")), str(s.get("label", ""))) for s in raw or ())


def segments_json(segments: tuple[Segment, ...]) -> list[dict[str, Any]] | None:
    return [asdict(s) for s in segments] or None


def units_of(raw: Any) -> tuple[Resource, ...]:
    return tuple(Resource(str(r["id"]), str(r["name"]), str(r["type"])) for r in raw or ())


def units_json(units: tuple[Resource, ...]) -> list[dict[str, str]] | None:
    return [{"id": r.id, "name": r.name, "type": r.type} for r in units] or None


def terms_of(raw: Any) -> Terms:
    if not raw:
        return Terms()
    reason = raw.get("reason")
    return Terms(int(raw["upfront"]), Reason(reason) if reason else None, int(raw["carried"]), int(raw["misses"]))


def terms_json(terms: Terms) -> dict[str, Any] | None:
    """Left out when it asks nothing (a prepaid booking with nothing carried reads as its price: `asked`)."""
    return None if terms == Terms() else asdict(terms) | {"reason": terms.reason.value if terms.reason else None}


def fee_of(raw: Any) -> Fee | None:
    return Fee(FeeKind(raw["kind"]), **{k: v for k, v in raw.items() if k != "kind"}) if raw else None


def fee_json(fee: Fee | None) -> dict[str, Any] | None:
    return asdict(fee) | {"kind": fee.kind.value} if fee else None


def parts_of(raw: Any, currency: str) -> tuple[Part, ...]:
    return tuple(
        Part(
            service_id=str(p["service_id"]),
            service_name=str(p["service_name"]),
            staff_id=str(p["staff_id"]),
            staff_name=str(p["staff_name"]),
            start=datetime.fromisoformat(str(p["start"])),
            duration=int(p["duration"]),
            price=Money(int(p["price"]), currency),
            segments=segments_of(p.get("segments")),
            needs=tuple(str(k) for k in p.get("needs", ())),
            resources=units_of(p.get("resources")),
            assigned=str(p.get("assigned", "")),
        )
        for p in raw or ()
    )


def parts_json(parts: tuple[Part, ...]) -> list[dict[str, Any]] | None:
    """A visit's services, each field as short as it reads back (empty ones left out)."""
    found = []
    for p in parts:
        value: dict[str, Any] = {
            "service_id": p.service_id,
            "service_name": p.service_name,
            "staff_id": p.staff_id,
            "staff_name": p.staff_name,
            "start": p.start.astimezone(UTC).isoformat(),
            "duration": p.duration,
            "price": p.price.minor,
            "segments": segments_json(p.segments),
            "needs": list(p.needs) or None,
            "resources": units_json(p.resources),
            "assigned": p.assigned or None,
        }
        found.append({k: v for k, v in value.items() if v is not None})
    return found or None


def status_partition(status: Status, location_id: str = "") -> str:
    """gsi4's partition of an appointment: OPEN (pending, confirmed) or STATUS#<final status>, per location (the
    business's own without a suffix, as before there were locations): no partition holds every location's."""
    name = f"STATUS#{status.value}" if status.is_final else "OPEN"
    return f"{name}#{location_id}" if location_id else name


def timeline_key(instant: datetime) -> str:
    """Sortable UTC text for an instant, so a key condition can compare it with 'now'."""
    return f"{instant.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def appointment_from(item: AppointmentItem) -> Appointment:
    given: Mapping[str, str] = item.customer or {}
    return Appointment(
        id=item.pk.removeprefix("APPT#"),
        customer=CustomerInfo(*(given.get(f.name, "") for f in fields(CustomerInfo))),
        price=Money(int(item.price_minor), item.currency),
        segments=segments_of(item.segments),
        resources=units_of(item.resources),
        parts=parts_of(item.parts, item.currency),
        terms=terms_of(item.terms),
        fee=fee_of(item.fee),
        **APPOINTMENT.fields_of(item),
    )


def appointment_item(appt: Appointment) -> AppointmentItem:
    start = timeline_key(appt.start)
    return AppointmentItem(
        f"APPT#{appt.id}",
        "APPT",
        gsi1pk=f"CUSTOMER#{appt.customer_id}",
        gsi1sk=f"{start}#{appt.id}",
        gsi2pk=f"STAFF#{appt.staff_id}",
        gsi2sk=f"{start}#APPT#{appt.id}",
        gsi3pk=f"DAY#{appt.local_start:%Y-%m-%d}",
        gsi3sk=f"{start}#{appt.staff_id}#APPT#{appt.id}",
        gsi4pk=status_partition(appt.status, appt.location_id),
        gsi4sk=f"{start}#{appt.id}",
        customer=asdict(appt.customer),
        price_minor=appt.price.minor,
        currency=appt.price.currency,
        segments=segments_json(appt.segments),
        resources=units_json(appt.resources),
        parts=parts_json(appt.parts),
        terms=terms_json(appt.terms),
        fee=fee_json(appt.fee),
        **APPOINTMENT.attributes_of(appt),
    )


def share_items(appt: Appointment | None) -> list[ShareItem]:
    """A visit's entries in the timelines of the staff members who perform its services after the first's."""
    if appt is None:
        return []
    found = []
    for staff_id in dict.fromkeys(p.staff_id for p in appt.parts if p.staff_id != appt.staff_id):
        mine = share_of(appt, staff_id)
        assert mine is not None
        key = f"{timeline_key(mine.start)}#APPT#{appt.id}"
        found.append(ShareItem(f"APPT#{appt.id}", f"STAFF#{staff_id}", gsi2pk=f"STAFF#{staff_id}", gsi2sk=key))
    return found


def audit_item(change: Change, version: int) -> AuditItem:
    return AuditItem(
        f"APPT#{change.appointment_id}",
        f"AUDIT#{timeline_key(change.at)}#{version:06d}",
        **CHANGE.attributes_of(change),
    )


def change_from(item: AuditItem) -> Change:
    return Change(appointment_id=item.pk.removeprefix("APPT#"), **CHANGE.fields_of(item))


def block_item(block: Block) -> BlockItem:
    start = timeline_key(block.start)
    return BlockItem(
        f"BLOCK#{block.id}",
        "BLOCK",
        gsi2pk=f"RESOURCE#{block.resource_id}" if block.resource_id else f"STAFF#{block.staff_id}",
        gsi2sk=f"{start}#BLOCK#{block.id}",
        gsi3pk=f"DAY#{block.local_start:%Y-%m-%d}",
        gsi3sk=f"{start}#{block.resource_id or block.staff_id}#BLOCK#{block.id}",
        **BLOCK.attributes_of(block),
    )


def block_from(item: BlockItem) -> Block:
    return Block(id=item.pk.removeprefix("BLOCK#"), **BLOCK.fields_of(item))


def customer_from(item: CustomerItem) -> Customer:
    return Customer(id=item.pk.removeprefix("CUSTOMER#"), **CUSTOMER.fields_of(item))


def customer_key(customer_id: str) -> tuple[str, str]:
    return f"CUSTOMER#{customer_id}", "PROFILE"


def profile_update(appt: Appointment) -> tuple[CustomerItem, list[Any]]:
    """The customer's profile as of their latest booking; created the first time, never losing created_at."""
    item = CustomerItem(*customer_key(appt.customer_id))
    at = appt.updated_at
    actions = [
        CustomerItem.kind.set(CustomerItem),
        CustomerItem.name.set(appt.customer.name),
        CustomerItem.phone.set(appt.customer.phone),
        CustomerItem.updated_at.set(at),
        CustomerItem.created_at.set(CustomerItem.created_at | at),
        CustomerItem.gsi1pk.set(f"PHONE#{appt.customer.phone}"),
        CustomerItem.gsi1sk.set(f"CUSTOMER#{appt.customer_id}"),
        CustomerItem.gsi3pk.set("CUSTOMERS"),
        CustomerItem.gsi3sk.set(f"{appt.customer.name.casefold()}#{appt.customer_id}"),
    ]
    if appt.customer.email:  # a booking without one keeps the email given before
        actions.append(CustomerItem.email.set(appt.customer.email))
    return item, actions


def notice_key(appointment_id: str, key: str) -> tuple[str, str]:
    return f"APPT#{appointment_id}", f"NOTICE#{key}"


def notice_item(notice: Notice) -> NoticeItem:
    return NoticeItem(
        *notice_key(notice.appointment_id, notice.key),
        gsi5pk="DUE",
        gsi5sk=f"{timeline_key(notice.due_at)}#{notice.appointment_id}#{notice.key}",
        **NOTICE.attributes_of(notice),
    )


def notice_from(item: NoticeItem) -> Notice:
    return Notice(appointment_id=item.pk.removeprefix("APPT#"), **NOTICE.fields_of(item))


def preferences_from(item: PreferencesItem | None) -> Preferences:
    default = Preferences()
    if item is None:
        return default
    return Preferences(
        default.sms if item.sms is None else item.sms,
        default.email if item.email is None else item.email,
        default.push if item.push is None else item.push,
        tuple(str(t) for t in item.reminder_times) if item.reminder_times else default.reminder_times,
        item.locale or default.locale,
        item.openid,
    )
