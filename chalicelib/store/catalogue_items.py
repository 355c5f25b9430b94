"""The catalogue's items, in the business's partition (pk BUSINESS): settings, services, resources, staff, closures,
locations.

Read together by one Query (store/catalogue.py); the table and the other item types are in models.py.
"""

from __future__ import annotations

from pynamodb.attributes import (
    BooleanAttribute,
    JSONAttribute,
    ListAttribute,
    NumberAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
)

from chalicelib.store.models import Item


class SettingsItem(Item, discriminator="settings"):
    values = JSONAttribute(default=dict)


class ServiceItem(Item, discriminator="service"):
    name = UnicodeAttribute()
    description = UnicodeAttribute(default="")
    duration = NumberAttribute()
    price_minor = NumberAttribute()
    currency = UnicodeAttribute()
    requires_payment = BooleanAttribute(default=False)
    category = UnicodeAttribute(default="")
    active = BooleanAttribute(default=True)
    segments = JSONAttribute(null=True)
    buffer_before = NumberAttribute(null=True)
    buffer_after = NumberAttribute(null=True)
    needs = ListAttribute(of=UnicodeAttribute, null=True)
    location_ids = UnicodeSetAttribute(null=True)
    deposit = JSONAttribute(null=True)  # {"amount": minor units} or {"percent": n}


class ResourceItem(Item, discriminator="resource"):
    name = UnicodeAttribute()
    resource_type = UnicodeAttribute()
    active = BooleanAttribute(default=True)
    location_id = UnicodeAttribute(null=True)


class LocationItem(Item, discriminator="location"):
    """sk LOCATION#<id>: a branch (domain/locations.py); the business's own is its settings."""

    name = UnicodeAttribute()
    address = UnicodeAttribute(default="")
    timezone = UnicodeAttribute(default="")
    phone = UnicodeAttribute(default="")
    hours = JSONAttribute(default=dict)
    closures = JSONAttribute(null=True)
    active = BooleanAttribute(default=True)


class StaffItem(Item, discriminator="staff"):
    name = UnicodeAttribute()
    title = UnicodeAttribute(default="")
    avatar_url = UnicodeAttribute(default="")
    service_ids = UnicodeSetAttribute(default=set)
    hours = JSONAttribute(default=dict)
    active = BooleanAttribute(default=True)
    revision = NumberAttribute(default=0)
    weight = NumberAttribute(default=100)
    priority = NumberAttribute(default=3)
    location_id = UnicodeAttribute(null=True)
    elsewhere = JSONAttribute(null=True)


class ClosureItem(Item, discriminator="closure"):
    """sk CLOSURE#<date> in the catalogue's partition: read with it, expired by TTL once past."""

    name = UnicodeAttribute(default="")
