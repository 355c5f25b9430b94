"""Items to domain objects and back."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.domain.appointment import Appointment, PaymentStatus
from chalicelib.domain.block import Block
from chalicelib.domain.catalogue import BusinessSettings, Service, StaffMember
from chalicelib.domain.contact import CustomerInfo
from chalicelib.domain.customer import Customer
from chalicelib.domain.history import Change
from chalicelib.domain.hours import WorkingHours
from chalicelib.domain.money import Money
from chalicelib.domain.notices import Kind, Notice, Preferences
from chalicelib.domain.status import Status
from chalicelib.store.models import (
    BUSINESS,
    AppointmentItem,
    AuditItem,
    BlockItem,
    CustomerItem,
    NoticeItem,
    PreferencesItem,
    ServiceItem,
    SettingsItem,
    StaffItem,
)

SETTINGS_FIELDS = tuple(BusinessSettings.__dataclass_fields__)


def settings_from(item: SettingsItem | None) -> BusinessSettings:
    values = item.values if item else {}
    known: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in SETTINGS_FIELDS
    }
    return BusinessSettings(**known)


def settings_item(settings: BusinessSettings) -> SettingsItem:
    return SettingsItem(BUSINESS, "SETTINGS", values={k: _json(getattr(settings, k)) for k in SETTINGS_FIELDS})


def _json(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def service_from(item: ServiceItem) -> Service:
    return Service(
        id=item.sk.removeprefix("SERVICE#"),
        name=item.name,
        description=item.description,
        duration=int(item.duration),
        price=Money(int(item.price_minor), item.currency),
        requires_payment=item.requires_payment,
        category=item.category,
        active=item.active,
    )


def service_item(service: Service) -> ServiceItem:
    return ServiceItem(
        BUSINESS,
        f"SERVICE#{service.id}",
        name=service.name,
        description=service.description,
        duration=service.duration,
        price_minor=service.price.minor,
        currency=service.price.currency,
        requires_payment=service.requires_payment,
        category=service.category,
        active=service.active,
    )


def staff_from(item: StaffItem) -> StaffMember:
    return StaffMember(
        id=item.sk.removeprefix("STAFF#"),
        name=item.name,
        title=item.title,
        avatar_url=item.avatar_url,
        service_ids=frozenset(item.service_ids or ()),
        hours=WorkingHours.from_dict(item.hours or {}),
        active=item.active,
        revision=int(item.revision or 0),
    )


def staff_item(member: StaffMember) -> StaffItem:
    return StaffItem(
        BUSINESS,
        f"STAFF#{member.id}",
        name=member.name,
        title=member.title,
        avatar_url=member.avatar_url,
        service_ids=set(member.service_ids) or None,
        hours=member.hours.to_dict(),
        active=member.active,
        revision=member.revision,
    )


def timeline_key(instant: datetime) -> str:
    """Sortable UTC text for an instant, so a key condition can compare it with 'now'."""
    return f"{instant.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def appointment_from(item: AppointmentItem) -> Appointment:
    customer: dict[str, Any] = item.customer or {}
    return Appointment(
        id=item.pk.removeprefix("APPT#"),
        customer_id=item.customer_id,
        customer=CustomerInfo(customer.get("name", ""), customer.get("phone", ""), customer.get("email", "")),
        service_id=item.service_id,
        service_name=item.service_name,
        staff_id=item.staff_id,
        staff_name=item.staff_name,
        start=item.start,
        duration=int(item.duration),
        buffer_before=int(item.buffer_before),
        buffer_after=int(item.buffer_after),
        status=Status(item.status),
        price=Money(int(item.price_minor), item.currency),
        payment_status=PaymentStatus(item.payment_status),
        notes=item.notes,
        created_at=item.created_at,
        updated_at=item.updated_at,
        timezone=item.timezone,
        business_phone=item.business_phone,
        hold_expires_at=item.hold_expires_at,
        confirmation_sent_at=item.confirmation_sent_at,
        reminder_sent_at=item.reminder_sent_at,
        rescheduled_at=item.rescheduled_at,
        payment_intent_id=item.payment_intent_id or "",
        paid_amount=int(item.paid_minor or 0),
        refunded_amount=int(item.refunded_minor or 0),
        refund_requested=int(item.refund_requested_minor or 0),
        payment_error=item.payment_error,
        payment_error_at=item.payment_error_at,
        cancelled_reason=item.cancelled_reason,
        cancelled_by=item.cancelled_by,
        reminder_offsets=tuple(str(o) for o in item.reminder_offsets or ()),
        locale=item.locale,
        version=int(item.version or 0),
    )


def appointment_item(appt: Appointment) -> AppointmentItem:
    item = AppointmentItem(
        f"APPT#{appt.id}",
        "APPT",
        gsi1pk=f"CUSTOMER#{appt.customer_id}",
        gsi2pk=f"STAFF#{appt.staff_id}",
        gsi2sk=f"{timeline_key(appt.start)}#APPT#{appt.id}",
        gsi3pk=f"DAY#{appt.local_start:%Y-%m-%d}",
        gsi3sk=f"{timeline_key(appt.start)}#{appt.staff_id}#APPT#{appt.id}",
        gsi4pk=f"STATUS#{appt.status.value}" if appt.status.is_final else "OPEN",
        gsi4sk=f"{timeline_key(appt.start)}#{appt.id}",
        gsi1sk=f"{timeline_key(appt.start)}#{appt.id}",
        customer_id=appt.customer_id,
        customer={"name": appt.customer.name, "phone": appt.customer.phone, "email": appt.customer.email},
        service_id=appt.service_id,
        service_name=appt.service_name,
        staff_id=appt.staff_id,
        staff_name=appt.staff_name,
        start=appt.start,
        duration=appt.duration,
        buffer_before=appt.buffer_before,
        buffer_after=appt.buffer_after,
        status=appt.status.value,
        price_minor=appt.price.minor,
        currency=appt.price.currency,
        payment_status=appt.payment_status.value,
        notes=appt.notes,
        created_at=appt.created_at,
        updated_at=appt.updated_at,
        timezone=appt.timezone,
        business_phone=appt.business_phone,
        hold_expires_at=appt.hold_expires_at,
        confirmation_sent_at=appt.confirmation_sent_at,
        reminder_sent_at=appt.reminder_sent_at,
        rescheduled_at=appt.rescheduled_at,
        payment_intent_id=appt.payment_intent_id or None,
        paid_minor=appt.paid_amount,
        refunded_minor=appt.refunded_amount,
        refund_requested_minor=appt.refund_requested,
        payment_error=appt.payment_error,
        payment_error_at=appt.payment_error_at,
        cancelled_reason=appt.cancelled_reason,
        cancelled_by=appt.cancelled_by,
        reminder_offsets=list(appt.reminder_offsets) or None,
        locale=appt.locale,
    )
    if appt.version:
        item.version = appt.version
    return item


def audit_item(change: Change, version: int) -> AuditItem:
    return AuditItem(
        f"APPT#{change.appointment_id}",
        f"AUDIT#{timeline_key(change.at)}#{version:06d}",
        action=change.action,
        actor_id=change.actor_id,
        actor_role=change.actor_role,
        at=change.at,
        from_status=change.from_status.value if change.from_status else None,
        to_status=change.to_status.value,
        reason=change.reason,
        detail=change.detail,
    )


def change_from(item: AuditItem) -> Change:
    return Change(
        appointment_id=item.pk.removeprefix("APPT#"),
        action=item.action,
        actor_id=item.actor_id,
        actor_role=item.actor_role,
        at=item.at,
        from_status=Status(item.from_status) if item.from_status else None,
        to_status=Status(item.to_status),
        reason=item.reason,
        detail=item.detail,
    )


def block_item(block: Block) -> BlockItem:
    return BlockItem(
        f"BLOCK#{block.id}",
        "BLOCK",
        gsi2pk=f"STAFF#{block.staff_id}",
        gsi2sk=f"{timeline_key(block.start)}#BLOCK#{block.id}",
        gsi3pk=f"DAY#{block.local_start:%Y-%m-%d}",
        gsi3sk=f"{timeline_key(block.start)}#{block.staff_id}#BLOCK#{block.id}",
        staff_id=block.staff_id,
        start=block.start,
        end=block.end,
        timezone=block.timezone,
        reason=block.reason,
        blocked_by=block.blocked_by,
        created_at=block.created_at,
    )


def block_from(item: BlockItem) -> Block:
    return Block(
        id=item.pk.removeprefix("BLOCK#"),
        staff_id=item.staff_id,
        start=item.start,
        end=item.end,
        timezone=item.timezone,
        reason=item.reason,
        blocked_by=item.blocked_by,
        created_at=item.created_at,
    )


def customer_from(item: CustomerItem) -> Customer:
    return Customer(
        item.pk.removeprefix("CUSTOMER#"), item.name, item.phone, item.email, item.created_at, item.updated_at
    )


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
        notice_kind=notice.kind.value,
        due_at=notice.due_at,
        offset=notice.offset,
        reason=notice.reason,
        serial=notice.serial,
        amount=notice.amount,
    )


def notice_from(item: NoticeItem) -> Notice:
    return Notice(
        item.pk.removeprefix("APPT#"),
        Kind(item.notice_kind),
        item.due_at,
        item.offset,
        item.reason,
        int(item.serial),
        int(item.amount or 0),
    )


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
