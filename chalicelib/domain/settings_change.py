"""A change of the business's clock or currency: refused while what depends on it is open, or migrated."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

from chalicelib.domain.catalogue import BusinessSettings, Service
from chalicelib.domain.errors import InvalidInput, SettingsInUse
from chalicelib.domain.money import Money


def ensure_safe_change(before: BusinessSettings, after: BusinessSettings, open_appointments: int) -> None:
    """Open appointments were booked on the old clock and priced in the old currency: close them first."""
    changing = [
        name
        for name, attribute in (("timezone", "timezone"), ("currency", "currency"))
        if getattr(before, attribute) != getattr(after, attribute)
    ]
    if changing and open_appointments:
        raise SettingsInUse(
            f"The {' and '.join(changing)} cannot change while {open_appointments} appointments are open: "
            f"cancel or complete the {open_appointments} open appointments first.",
            {name: f"{open_appointments} open appointments" for name in changing},
        )


def repriced(
    before: BusinessSettings, after: BusinessSettings, services: Iterable[Service], prices: Mapping[str, object]
) -> list[Service]:
    """A new currency comes with a new price for every active service, stored in the same write."""
    active = {s.id: s for s in services if s.active}
    if after.currency == before.currency:
        if prices:
            raise InvalidInput(
                "prices go with a change of currency; change one price with PUT /admin/services/{id}.",
                {"prices": "no currency change"},
            )
        return []
    unknown = sorted(set(prices) - set(active))
    if unknown:
        raise InvalidInput(f"prices names unknown services: {', '.join(unknown)}.", {"prices": "unknown service"})
    missing = sorted(set(active) - set(prices))
    if missing:
        raise SettingsInUse(
            f"The services are priced in {before.currency}: reprice them in the same change, "
            f'e.g. {{"currency": "{after.currency}", "prices": {{"{missing[0]}": 12.5, ...}}}} '
            f"(missing: {', '.join(missing)}).",
            {"prices": f"missing for {len(missing)} services"},
        )
    return [_repriced(s, Money.from_major(prices[s.id], after.currency)) for s in active.values()]


def _repriced(service: Service, price: Money) -> Service:
    """At its new price; a fixed deposit keeps its share of the price."""
    deposit = service.deposit
    if deposit and deposit.amount:
        share = deposit.amount * price.minor // service.price.minor if service.price.minor else 0
        deposit = replace(deposit, amount=share) if share else None
    return replace(service, price=price, deposit=deposit)
