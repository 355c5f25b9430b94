"""The catalogue: the business's settings, services, staff with their hours, resources, closures and locations
(one partition)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from pynamodb.exceptions import DeleteError, DoesNotExist, PutError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.catalogue import BusinessSettings, Catalogue, Resource, Service, StaffMember
from chalicelib.domain.closures import Closure
from chalicelib.domain.errors import ConcurrentChange, NotFound
from chalicelib.domain.locations import Location
from chalicelib.store import catalogue_mapping
from chalicelib.store.catalogue_items import (
    ClosureItem,
    LocationItem,
    ResourceItem,
    ServiceItem,
    SettingsItem,
    StaffItem,
)
from chalicelib.store.models import BUSINESS, Item
from chalicelib.store.occupancy import new_revisions, revision_is
from chalicelib.store.table import Table


class CatalogueStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    def settings(self) -> BusinessSettings:
        """The business's settings alone: one GetItem of a small item, where the whole catalogue is not needed."""
        try:
            return catalogue_mapping.settings_from(SettingsItem.get(BUSINESS, "SETTINGS"))
        except DoesNotExist:
            return catalogue_mapping.settings_from(None)

    def read(self) -> Catalogue:
        """Settings, services, staff with their hours, and the business's closures: one Query."""
        settings, services, staff, closures, resources, locations = None, {}, {}, {}, {}, {}
        for item in Item.query(BUSINESS):
            if isinstance(item, SettingsItem):
                settings = item
            elif isinstance(item, ServiceItem):
                service = catalogue_mapping.service_from(item)
                services[service.id] = service
            elif isinstance(item, StaffItem):
                member = catalogue_mapping.staff_from(item)
                staff[member.id] = member
            elif isinstance(item, ResourceItem):
                resource = catalogue_mapping.resource_from(item)
                resources[resource.id] = resource
            elif isinstance(item, ClosureItem):
                closures[date.fromisoformat(item.sk.removeprefix("CLOSURE#"))] = item.name
            elif isinstance(item, LocationItem):
                location = catalogue_mapping.location_from(item)
                locations[location.id] = location
        return Catalogue(catalogue_mapping.settings_from(settings), services, staff, closures, resources, locations)

    def at(self, location_id: str | None) -> Catalogue:
        """The catalogue as one location sees it (domain/catalogue.py's `Catalogue.at`): one Query."""
        return self.read().at(location_id)

    def save(self, settings: BusinessSettings, services: list[Service], staff: list[StaffMember]) -> None:
        with Item.batch_write() as batch:
            batch.save(catalogue_mapping.settings_item(settings))
            for service in services:
                batch.save(catalogue_mapping.service_item(service))
            for member in staff:
                batch.save(catalogue_mapping.staff_item(member))

    def save_settings(self, settings: BusinessSettings, repriced: Iterable[Service] = ()) -> None:
        """The settings, and the services a change of currency reprices, in one transaction."""
        with TransactWrite(connection=self._table.connection) as tx:
            tx.save(catalogue_mapping.settings_item(settings))
            for service in repriced:
                tx.save(catalogue_mapping.service_item(service), condition=ServiceItem.pk.exists())

    def freeze_settings(self, settings: BusinessSettings, staff: Iterable[StaffMember]) -> None:
        """Settings marked as changing, and a new revision for every staff member, in one transaction: a booking
        decided before fails its check, and one decided after sees the mark and waits."""
        with TransactWrite(connection=self._table.connection) as tx:
            tx.save(catalogue_mapping.settings_item(settings))
            new_revisions(tx, staff)

    def save_service(self, service: Service) -> None:
        catalogue_mapping.service_item(service).save()

    def save_resource(self, resource: Resource) -> None:
        catalogue_mapping.resource_item(resource).save()

    def save_location(self, location: Location, staff: Iterable[StaffMember] = ()) -> None:
        """The location, and a new revision for each of `staff` in the same transaction (those who work there, when
        its closures, clock or being open change): a booking decided on what it was then fails its check."""
        with TransactWrite(connection=self._table.connection) as tx:
            tx.save(catalogue_mapping.location_item(location))
            new_revisions(tx, staff)

    def save_staff(self, member: StaffMember) -> StaffMember:
        """On condition that nobody changed them since `member` was read; the saved one has the next revision."""
        saved = replace(member, revision=member.revision + 1)
        try:
            catalogue_mapping.staff_item(saved).save(condition=revision_is(member.revision))
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                raise ConcurrentChange(f"{member.name} was changed meanwhile; reload and try again.") from None
            raise
        return saved

    def add_closures(self, closures: Iterable[Closure], staff: Iterable[StaffMember]) -> None:
        """The closures, and a new revision for every staff member in the same transaction: a booking
        decided before on their hours then fails its check, so none lands on a closed day unreported."""
        with TransactWrite(connection=self._table.connection) as tx:
            for closure in closures:
                expires = datetime.combine(closure.day + timedelta(days=2), datetime.min.time(), UTC)
                item = ClosureItem(BUSINESS, f"CLOSURE#{closure.day.isoformat()}", name=closure.name)
                item.expires_at = expires
                tx.save(item)
            new_revisions(tx, staff)

    def remove_closure(self, day: date) -> None:
        try:
            ClosureItem(BUSINESS, f"CLOSURE#{day.isoformat()}").delete(condition=ClosureItem.pk.exists())
        except DeleteError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                raise NotFound(f"There is no closure on {day}.") from None
            raise
