"""What the business offers: its settings, services and staff."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from chalicelib.domain.deposits import Deposit
from chalicelib.domain.errors import InvalidInput, NotFound, UpstreamUnavailable
from chalicelib.domain.hours import WorkingHours, within
from chalicelib.domain.locations import MAIN, Location, is_main, stored
from chalicelib.domain.money import Money
from chalicelib.domain.segments import Segment


@dataclass(frozen=True)
class BusinessSettings:
    name: str = "Slotbook"
    timezone: str = "Asia/Shanghai"
    slot_interval: int = 30
    buffer_before: int = 0
    buffer_after: int = 0
    min_notice_minutes: int = 120
    max_days_ahead: int = 60
    cancel_cutoff_hours: int = 24
    hold_minutes: int = 15
    max_unpaid_holds: int = 3  # per customer at once: nobody hoards the calendar with holds they never pay
    max_upcoming: int = 10  # per customer
    late_cancel_hours: int = 24  # a customer's cancellation this close to the start is late (domain/fees.py)
    late_cancel_fee_percent: int = 50  # of the price, kept from what was paid (the rest refunded)
    no_show_fee_percent: int = 100
    fees_owed: bool = False  # a fee no payment covers is owed, and the customer's next booking's payment settles it
    deposit_policy: str = "everyone"  # of whom a deposit is asked (domain/deposits.py's DepositPolicy)
    deposit_percent: int = 0  # of the price, for a service without a deposit of its own; 0: none
    deposit_misses: int = 2  # missed-appointments: this many no-shows or late cancellations ...
    deposit_months: int = 6  # ... in this many months
    waitlist_offer_minutes: int = 30  # how long time freed is held for the waiting customer it is offered to
    no_show_grace_minutes: int = 15
    business_phone: str = ""  # for customers to call
    alert_phone: str = ""  # a mobile: the business's own alerts (a no-show) are texted to it
    currency: str = "CNY"
    country: str = "CN"  # ISO 3166 code of where the business is
    sms_countries: tuple[str, ...] = ()  # whose mobile numbers get texts; none set: the business's own country
    texts_per_number_per_day: int = 6
    texts_per_customer_per_day: int = 12
    assignment: str = "fewest-minutes"  # who takes a booking for any staff (domain/assignment.py's Policy)
    changing_until: int = 0  # epoch seconds: its clock or currency is being changed; nothing is booked till then

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def ensure_settled(self, now: datetime) -> None:
        """While the clock or currency is being changed, no appointment is made on the old ones."""
        if self.changing_until > now.timestamp():
            raise UpstreamUnavailable("The business's settings are being changed; try again in a few seconds.")

    def today(self, now: datetime) -> date:
        """The business's date at `now`: where it is, not where the server or the caller is."""
        return now.astimezone(self.zone).date()


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    duration: int
    price: Money
    description: str = ""
    requires_payment: bool = False
    category: str = ""
    active: bool = True
    segments: tuple[Segment, ...] = ()  # none: the staff member is busy throughout
    buffer_before: int | None = None  # none: the business's
    buffer_after: int | None = None
    needs: tuple[str, ...] = ()  # resource types it takes one unit of each, besides the staff member
    location_ids: frozenset[str] = frozenset()  # offered only at these; none: everywhere
    deposit: Deposit | None = None  # when a deposit is asked (domain/deposits.py); none: the business's share

    def offered_at(self, location_id: str) -> bool:
        return not self.location_ids or stored(location_id) in {stored(i) for i in self.location_ids}

    def buffers(self, settings: BusinessSettings) -> tuple[int, int]:
        """Minutes kept free before and after it: its own, or else the business's."""
        before = settings.buffer_before if self.buffer_before is None else self.buffer_before
        return before, settings.buffer_after if self.buffer_after is None else self.buffer_after


@dataclass(frozen=True)
class Resource:
    """A room, chair, bed or piece of equipment whose time a service takes: one unit of its type."""

    id: str
    name: str
    type: str
    active: bool = True
    location_id: str = ""  # none: the business's own


@dataclass(frozen=True)
class StaffMember:
    id: str
    name: str
    title: str = ""
    avatar_url: str = ""
    service_ids: frozenset[str] = frozenset()
    hours: WorkingHours = field(default_factory=WorkingHours)
    active: bool = True
    revision: int = 0  # raised by every change: a booking decided on one revision commits only on it
    weight: int = 100  # their share of "any staff" bookings under the weighted policy, relative to the others'
    priority: int = 3  # 1-5: who takes "any staff" bookings first under the priority policy
    location_id: str = ""  # where `hours` are; none: the business's own
    elsewhere: Mapping[str, WorkingHours] = field(default_factory=dict)  # their hours at other locations

    def hours_at(self, location_id: str) -> WorkingHours | None:
        """Their hours at a location; None if they do not work there."""
        if stored(location_id) == self.location_id:
            return self.hours
        return self.elsewhere.get(stored(location_id))

    def performs(self, service: Service) -> bool:
        return service.id in self.service_ids


@dataclass(frozen=True)
class Catalogue:
    settings: BusinessSettings
    services: dict[str, Service]
    staff: dict[str, StaffMember]
    closures: Mapping[date, str] = field(default_factory=dict)  # the whole business shut: date -> name
    resources: Mapping[str, Resource] = field(default_factory=dict)
    locations: Mapping[str, Location] = field(default_factory=dict)  # none: the business is its one location
    here: str = MAIN  # the location this catalogue is seen from (`at`): what an appointment made on it is at

    @property
    def places(self) -> tuple[str, ...]:
        """Every location as stored ("": the business's own): the partitions a business-wide read goes over."""
        return ("", *sorted(self.locations))

    def location(self, location_id: str | None) -> Location:
        """A location by id; left out or "main": the business's own, as its settings say."""
        if is_main(location_id):
            return Location(
                MAIN, self.settings.name, timezone=self.settings.timezone, phone=self.settings.business_phone
            )
        found = self.locations.get(str(location_id))
        if found is None or not found.active:
            raise NotFound(f"There is no location {location_id!r}.")
        return found

    def at(self, location_id: str | None) -> Catalogue:
        """The business as one location is (domain/locations.py): its time zone and phone, the staff who work there
        with their hours there, the services offered there, its rooms, its closures with the business's."""
        place = self.location(location_id)
        if place.id == MAIN and not self.locations:
            return self  # one location: the business as it is
        settings = replace(
            self.settings,
            timezone=place.timezone or self.settings.timezone,
            business_phone=place.phone or self.settings.business_phone,
        )
        staff = {
            m.id: replace(m, hours=within(h, place.hours))  # inside its opening hours, when it has any
            for m in self.staff.values()
            if (h := m.hours_at(place.id)) is not None
        }
        return Catalogue(
            settings,
            {i: s for i, s in self.services.items() if s.offered_at(place.id)},
            staff,
            {**self.closures, **place.closures},
            {i: r for i, r in self.resources.items() if r.location_id == stored(place.id)},
            self.locations,
            place.id,
        )

    def hours(self, member: StaffMember) -> WorkingHours:
        """A staff member's hours as they stand: their own, closed on the business's closures."""
        return member.hours.closed_on(self.closures)

    def service(self, service_id: str) -> Service:
        service = self.services.get(service_id)
        if service is None or not service.active:
            raise NotFound(f"There is no service {service_id!r}.")
        return service

    def staff_member(self, staff_id: str) -> StaffMember:
        member = self.staff.get(staff_id)
        if member is None or not member.active:
            raise NotFound(f"There is no staff member {staff_id!r}.")
        return member

    def resource(self, resource_id: str) -> Resource:
        found = self.resources.get(resource_id)
        if found is None or not found.active:
            raise NotFound(f"There is no resource {resource_id!r}.")
        return found

    def units(self, service: Service, first: Iterable[Resource] = ()) -> dict[str, list[Resource]]:
        """For each resource type the service needs, the active units that could serve, in the order to try:
        `first` (the ones it holds now, when it moves), then by name."""
        preferred = [r.id for r in first]
        order = {rid: i for i, rid in enumerate(preferred)}
        return {
            kind: sorted(
                (r for r in self.resources.values() if r.active and r.type == kind),
                key=lambda r: (order.get(r.id, len(order)), r.name, r.id),
            )
            for kind in service.needs
        }

    def ensure_resources(self, service: Service) -> None:
        """A service needs only resource types the business has an active unit of."""
        kinds = {r.type for r in self.resources.values() if r.active}
        missing = [kind for kind in service.needs if kind not in kinds]
        if missing:
            raise InvalidInput(
                f"No active resource of type {', '.join(repr(k) for k in missing)}; add one first.",
                {"needs": "unknown resource type"},
            )

    def ensure_offered(self, member: StaffMember, before: StaffMember | None = None) -> None:
        """A staff member is given only services the business still offers. Those they had before may have been
        retired since: kept, they change nothing (a retired service is booked by nobody), so a change of their
        weight or hours is not refused for them."""
        had = before.service_ids if before else frozenset()
        given = member.service_ids - had
        unknown = sorted(i for i in given if i not in self.services or not self.services[i].active)
        if unknown:
            raise InvalidInput(f"Unknown services: {', '.join(unknown)}.", {"serviceIds": "unknown service"})

    @property
    def offered(self) -> list[Service]:
        """The services it offers; where there are several locations, those somebody working here performs."""
        return [s for s in self.services.values() if not self.locations or self.staff_for(s)]

    def staff_for(self, service: Service) -> list[StaffMember]:
        return sorted((m for m in self.staff.values() if m.active and m.performs(service)), key=lambda m: m.name)

    def candidates(self, service_id: str, staff_id: str | None) -> tuple[Service, list[StaffMember]]:
        """Who may take it: the one asked for, or for any staff (`staffId` left out or "any") everyone active who
        performs it, by name."""
        if staff_id and staff_id != "any":
            service, member = self.performer(service_id, staff_id)
            return service, [member]
        service = self.service(service_id)
        return service, self.staff_for(service)

    def performer(self, service_id: str, staff_id: str) -> tuple[Service, StaffMember]:
        service, member = self.service(service_id), self.staff_member(staff_id)
        if not member.performs(service):
            raise InvalidInput(
                f"{member.name} does not perform {service.name}.", {"staffId": "does not perform this service"}
            )
        return service, member
