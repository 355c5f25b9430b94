"""Customer profiles and search, for the front desk (a customer may read their own profile)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from chalicelib.api import inputs, presenters
from chalicelib.api.docs import Doc, text
from chalicelib.api.http import SIGNED_IN, STAFF, Call, Routes
from chalicelib.domain.errors import InvalidInput
from chalicelib.domain.money import Money
from chalicelib.services import customers
from chalicelib.store import get_store

routes = Routes(__name__)


@routes.route(
    "/customers/{customer_id}",
    allow=SIGNED_IN,
    doc=Doc("A profile with history (`me` for oneself)", answer="Profile"),
)
def profile(call: Call, customer_id: str) -> dict[str, Any]:
    customer_id = call.actor.customer_id(customer_id)
    customer, record, history = customers.profile(get_store(), customer_id, datetime.now(UTC))
    return {
        "customer": presenters.customer(customer),
        **presenters.record(record),
        "owed": Money(customer.owed, record.spend.currency).major,
        "history": [presenters.appointment(a) for a in history],
    }


@routes.route(
    "/customers",
    allow=STAFF,
    doc=Doc("Search by phone or name prefix", answer="CustomerList", params=(text("phone"), text("name"))),
)
def search(call: Call) -> dict[str, Any]:
    phone, name = call.query("phone"), call.query("name")
    if not phone and not name:
        raise InvalidInput("Search by phone or by name.", {"phone": "phone or name required"})
    found = customers.search(get_store(), inputs.phone_number(phone) if phone else None, name)
    return {"customers": [presenters.customer(c) for c in found]}
