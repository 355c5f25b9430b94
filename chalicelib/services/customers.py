"""Customer profiles for the front desk: who they are, their history, visits, spend and no-shows."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.customer import Customer, Record
from chalicelib.store.repository import Store


def profile(store: Store, customer_id: str, now: datetime) -> tuple[Customer, Record, list[Appointment]]:
    customer = store.customer(customer_id)
    history = store.all_customer_appointments(customer_id)
    return customer, Record.of(history, store.catalogue().settings.currency, now), history


def search(store: Store, phone: str | None, name: str | None) -> list[Customer]:
    if phone:
        return store.customers_by_phone(phone)
    return store.customers_by_name(name or "")
