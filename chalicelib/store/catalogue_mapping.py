"""The catalogue's items to domain objects and back: settings, services, staff, resources, locations (each field by
its declaration, store/fields.py; by hand only the keys and what is kept as JSON)."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date
from typing import Any

from chalicelib.domain.catalogue import BusinessSettings, Resource, Service, StaffMember
from chalicelib.domain.deposits import Deposit
from chalicelib.domain.hours import WorkingHours
from chalicelib.domain.locations import Location
from chalicelib.domain.money import Money
from chalicelib.store.catalogue_items import LocationItem, ResourceItem, ServiceItem, SettingsItem, StaffItem
from chalicelib.store.fields import StoredFields
from chalicelib.store.mapping import segments_json, segments_of
from chalicelib.store.models import BUSINESS

SETTINGS_FIELDS = tuple(BusinessSettings.__dataclass_fields__)
SERVICE = StoredFields(  # the sort key; two attributes; JSON; JSON
    Service, apart=frozenset({"id", "price", "segments", "deposit"})
)
STAFF = StoredFields(  # in the sort key; as JSON; as JSON
    StaffMember, apart=frozenset({"id", "hours", "elsewhere"}), absent_when_empty=frozenset({"location_id"})
)
RESOURCE = StoredFields(
    Resource, apart=frozenset({"id"}), renamed={"type": "resource_type"}, absent_when_empty=frozenset({"location_id"})
)
LOCATION = StoredFields(Location, apart=frozenset({"id", "hours", "closures"}))  # the key; JSON; JSON


def settings_from(item: SettingsItem | None) -> BusinessSettings:
    values = item.values if item else {}
    known: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in values.items() if k in SETTINGS_FIELDS
    }
    if "late_cancel_hours" not in values:  # settings saved before fees: late meant within the online cutoff ...
        known["late_cancel_hours"] = values.get("cancel_cutoff_hours", BusinessSettings.late_cancel_hours)
    if "late_cancel_refund_percent" in values and "late_cancel_fee_percent" not in values:  # ... and kept the rest
        known["late_cancel_fee_percent"] = 100 - int(values["late_cancel_refund_percent"])
    return BusinessSettings(**known)


def settings_item(settings: BusinessSettings) -> SettingsItem:
    return SettingsItem(BUSINESS, "SETTINGS", values={k: _json(getattr(settings, k)) for k in SETTINGS_FIELDS})


def _json(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value


def service_from(item: ServiceItem) -> Service:
    return Service(
        id=item.sk.removeprefix("SERVICE#"),
        price=Money(int(item.price_minor), item.currency),
        segments=segments_of(item.segments),
        deposit=Deposit(**item.deposit) if item.deposit else None,
        **SERVICE.fields_of(item),
    )


def service_item(service: Service) -> ServiceItem:
    return ServiceItem(
        BUSINESS,
        f"SERVICE#{service.id}",
        price_minor=service.price.minor,
        currency=service.price.currency,
        segments=segments_json(service.segments),
        deposit=asdict(service.deposit) if service.deposit else None,
        **SERVICE.attributes_of(service),
    )


def staff_from(item: StaffItem) -> StaffMember:
    return StaffMember(
        id=item.sk.removeprefix("STAFF#"),
        hours=WorkingHours.from_dict(item.hours or {}),
        elsewhere={place: WorkingHours.from_dict(hours) for place, hours in (item.elsewhere or {}).items()},
        **STAFF.fields_of(item),
    )


def staff_item(member: StaffMember) -> StaffItem:
    elsewhere = {place: hours.to_dict() for place, hours in member.elsewhere.items()} or None
    return StaffItem(
        BUSINESS,
        f"STAFF#{member.id}",
        hours=member.hours.to_dict(),
        elsewhere=elsewhere,
        **STAFF.attributes_of(member),
    )


def location_from(item: LocationItem) -> Location:
    return Location(
        id=item.sk.removeprefix("LOCATION#"),
        hours=WorkingHours.from_dict(item.hours or {}),
        closures={date.fromisoformat(day): str(name) for day, name in (item.closures or {}).items()},
        **LOCATION.fields_of(item),
    )


def location_item(location: Location) -> LocationItem:
    closures = {day.isoformat(): name for day, name in sorted(location.closures.items())} or None
    return LocationItem(
        BUSINESS,
        f"LOCATION#{location.id}",
        hours=location.hours.to_dict(),
        closures=closures,
        **LOCATION.attributes_of(location),
    )


def resource_from(item: ResourceItem) -> Resource:
    return Resource(id=item.sk.removeprefix("RESOURCE#"), **RESOURCE.fields_of(item))


def resource_item(resource: Resource) -> ResourceItem:
    return ResourceItem(BUSINESS, f"RESOURCE#{resource.id}", **RESOURCE.attributes_of(resource))
