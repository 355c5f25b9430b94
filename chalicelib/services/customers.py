"""Customers: profiles for the front desk (who they are, their history, visits, spend and no-shows), and how
each wants to hear from the business."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.customer import Customer, Record
from chalicelib.domain.notices import Preferences
from chalicelib.store import Store


def profile(store: Store, customer_id: str, now: datetime) -> tuple[Customer, Record, list[Appointment]]:
    customer = store.customers.get(customer_id)
    history = store.appointments.all_of_customer(customer_id)
    return customer, Record.of(history, store.catalogue.read().settings.currency, now), history


def search(store: Store, phone: str | None, name: str | None) -> list[Customer]:
    if phone:
        return store.customers.by_phone(phone)
    return store.customers.by_name(name or "")


def preferences(store: Store, customer_id: str) -> Preferences:
    return store.customers.preferences(customer_id)


def change_preferences(store: Store, customer_id: str, changes: Mapping[str, Any]) -> Preferences:
    """What `changes` names is replaced; the rest (and the WeChat openid) is kept."""
    updated = replace(store.customers.preferences(customer_id), **changes)
    store.customers.save_preferences(customer_id, updated)
    return updated
