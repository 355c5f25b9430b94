"""Customers: profiles (found by id, phone or name) and their notification preferences."""

from __future__ import annotations

from collections.abc import Iterable

from pynamodb.exceptions import DoesNotExist

from chalicelib.domain.customer import Customer
from chalicelib.domain.errors import NotFound
from chalicelib.domain.notices import Preferences
from chalicelib.store import mapping
from chalicelib.store.models import CustomerItem, Item, PreferencesItem


class CustomerStore:
    def get(self, customer_id: str) -> Customer:
        try:
            return mapping.customer_from(CustomerItem.get(*mapping.customer_key(customer_id), consistent_read=True))
        except DoesNotExist:
            raise NotFound(f"There is no customer {customer_id!r}.") from None

    def owed(self, customer_id: str) -> int:
        """The fees a customer owes (minor units): 0 for a customer without a profile yet."""
        try:
            return int(CustomerItem.get(*mapping.customer_key(customer_id), consistent_read=True).owed or 0)
        except DoesNotExist:
            return 0

    def many(self, customer_ids: Iterable[str]) -> dict[str, Customer]:
        """Profiles by id: one BatchGetItem per 100 ids; ids without a profile are left out."""
        keys = [mapping.customer_key(i) for i in dict.fromkeys(customer_ids)]
        found = (mapping.customer_from(item) for item in CustomerItem.batch_get(keys)) if keys else iter(())
        return {customer.id: customer for customer in found}

    def by_phone(self, phone: str) -> list[Customer]:
        results = Item.by_customer.query(f"PHONE#{phone}", limit=20)
        return [mapping.customer_from(i) for i in results if isinstance(i, CustomerItem)]

    def by_name(self, prefix: str) -> list[Customer]:
        results = Item.by_day.query("CUSTOMERS", Item.gsi3sk.startswith(prefix.casefold()), limit=20)
        return [mapping.customer_from(i) for i in results if isinstance(i, CustomerItem)]

    def preferences(self, customer_id: str) -> Preferences:
        try:
            return mapping.preferences_from(PreferencesItem.get(f"CUSTOMER#{customer_id}", "PREFS"))
        except DoesNotExist:
            return Preferences()

    def save_preferences(self, customer_id: str, preferences: Preferences) -> None:
        PreferencesItem(f"CUSTOMER#{customer_id}", "PREFS").update(
            actions=[
                PreferencesItem.kind.set(PreferencesItem),
                PreferencesItem.sms.set(preferences.sms),
                PreferencesItem.email.set(preferences.email),
                PreferencesItem.push.set(preferences.push),
                PreferencesItem.reminder_times.set(list(preferences.reminder_times)),  # type: ignore[arg-type]
                PreferencesItem.locale.set(preferences.locale),
            ]
        )

    def remember_openid(self, customer_id: str, openid: str) -> None:
        """WeChat push needs the customer's openid; nothing else keeps it."""
        PreferencesItem(f"CUSTOMER#{customer_id}", "PREFS").update(
            actions=[
                PreferencesItem.kind.set(PreferencesItem),
                PreferencesItem.openid.set(openid),
            ]
        )
