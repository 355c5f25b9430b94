"""Customer profiles for the front desk: who they are, their history, visits, spend and no-shows."""

from __future__ import annotations

from datetime import datetime

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.customer import Customer, Record
from chalicelib.store import Store


def profile(store: Store, customer_id: str, now: datetime) -> tuple[Customer, Record, list[Appointment]]:
    customer = store.customers.get(customer_id)
    history = store.appointments.all_of_customer(customer_id)
    return customer, Record.of(history, store.catalogue.read().settings.currency, now), history


def search(store: Store, phone: str | None, name: str | None) -> list[Customer]:
    if phone:
        return store.customers.by_phone(phone)
    return store.customers.by_name(name or "")
