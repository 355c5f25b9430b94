"""What a booking asks of a customer before the visit (domain/deposits.py), and the policy they are shown before
booking and before cancelling (domain/fees.py)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from chalicelib.domain.actor import Actor, Role
from chalicelib.domain.catalogue import BusinessSettings, Service
from chalicelib.domain.deposits import Terms, Track, needs_track, terms_for, weighed_since
from chalicelib.domain.money import Money
from chalicelib.domain.notices import Preferences
from chalicelib.domain.parts import Wanted
from chalicelib.services.visits import resolve
from chalicelib.store import Store

DEFAULT_LOCALE = Preferences().locale  # a caller who is not a customer reads what a new customer would


@dataclass(frozen=True)
class Policy:
    """What booking these services asks of the caller before the visit, and what cancelling late or not coming
    would cost: shown before booking."""

    price: Money
    terms: Terms
    settings: BusinessSettings
    locale: str  # the caller's, for the words saying why

    def fee(self, percent: int) -> Money:
        return self.price.share(percent)


def policy(
    store: Store, actor: Actor | None, wanted: Sequence[Wanted], location_id: str | None, now: datetime
) -> Policy:
    """For a customer, their own terms (a deposit asked of them and why, fees they owe); for anyone else, what a
    customer without history would be asked."""
    catalogue = store.catalogue.at(location_id)
    services = [service for service, _ in resolve(catalogue, wanted)]
    caller = actor or Actor("anonymous", Role.STAFF)
    price = Money(sum(s.price.minor for s in services), catalogue.settings.currency)
    locale = store.customers.preferences(caller.id).locale if caller.role is Role.CUSTOMER else DEFAULT_LOCALE
    return Policy(price, terms_of(store, caller, services, catalogue.settings, now), catalogue.settings, locale)


def terms_of(
    store: Store, actor: Actor, services: Sequence[Service], settings: BusinessSettings, now: datetime
) -> Terms:
    """The customer's recent appointments (one Query) and fees owed (one read) are read only when the business's
    policy weighs them: a business without deposits for some or fees owed pays nothing for it."""
    if actor.role is not Role.CUSTOMER or not needs_track(settings):
        return terms_for(services, settings, Track())
    recent = store.appointments.of_customer_since(actor.id, weighed_since(settings, now))
    owed = store.customers.owed(actor.id) if settings.fees_owed else 0
    return terms_for(services, settings, Track.of(recent, owed, settings, now))
