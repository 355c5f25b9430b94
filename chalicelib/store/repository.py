"""The queries and writes the app needs, each one or two DynamoDB calls."""

from __future__ import annotations

import random
import time
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from pynamodb.attributes import UnicodeAttribute
from pynamodb.connection import Connection
from pynamodb.exceptions import DeleteError, DoesNotExist, PutError, TransactWriteError
from pynamodb.indexes import GlobalSecondaryIndex
from pynamodb.transactions import TransactWrite

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.block import MAX_BLOCK, Block
from chalicelib.domain.catalogue import (
    BusinessSettings,
    Catalogue,
    Service,
    StaffMember,
)
from chalicelib.domain.closures import Closure
from chalicelib.domain.customer import Customer
from chalicelib.domain.errors import (
    ConcurrentChange,
    IdempotencyKeyReused,
    InvalidInput,
    NotFound,
    SlotTaken,
)
from chalicelib.domain.history import Change
from chalicelib.domain.notices import Kind, Notice, Plan, Preferences
from chalicelib.domain.scopes import OPEN, Scope
from chalicelib.domain.status import Status
from chalicelib.store import mapping
from chalicelib.store.models import (
    BUSINESS,
    AppointmentItem,
    AuditItem,
    BlockItem,
    ClosureItem,
    CustomerItem,
    DeliveryItem,
    EventItem,
    IdempotencyItem,
    Item,
    LockItem,
    NoticeItem,
    PaymentIntentItem,
    PreferencesItem,
    ServiceItem,
    SettingsItem,
    StaffItem,
    bind_table,
)
from chalicelib.store.occupancy import (
    LOCK_RETENTION,
    RETRIED,
    THROTTLED,
    Writes,
    cancellation_codes,
    free,
    granule_keys,
    lock_keys,
    lock_sk,
    new_revisions,
    revision_is,
    take,
)
from chalicelib.store.pages import Page, decode_cursor, encode_cursor
from chalicelib.store.texts import TextCounts

if TYPE_CHECKING:
    from chalicelib.store.figures import FigureStore

IDEMPOTENCY_RETENTION = timedelta(hours=24)
EVENT_RETENTION = timedelta(days=30)  # provider events and message deliveries: far past any redelivery
TRANSACTION_ATTEMPTS = 3


def _put_if_absent(item: Item) -> bool:
    """A conditional put: False if the item is there already."""
    try:
        item.save(condition=Item.pk.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True


def _overlapping(items: Iterable[Item], start: datetime, end: datetime) -> tuple[list[Appointment], list[Block]]:
    appointments, blocks = [], []
    for item in items:
        if isinstance(item, AppointmentItem):
            appointment = mapping.appointment_from(item)
            if appointment.start < end and appointment.end > start:
                appointments.append(appointment)
        elif isinstance(item, BlockItem):
            block = mapping.block_from(item)
            if block.start < end and block.end > start:
                blocks.append(block)
    return appointments, blocks


@dataclass(frozen=True)
class IdempotencyClaim:
    """A caller's Idempotency-Key for one request body, claimed in the same transaction as the write."""

    caller: str
    key: str
    fingerprint: str

    @property
    def pk(self) -> str:
        return f"IDEM#{self.caller}#{self.key}"


class EventSeen(Exception):
    """A provider event that was applied before: nothing to do."""


class Replayed(Exception):
    """The claim was made before: the first request's appointment is the answer."""


class Store:
    def __init__(self, table_name: str, region: str) -> None:
        self._table = (table_name, region)
        bind_table(table_name, region)

    @property
    def connection(self) -> Connection:
        """The models' own connection, for transactions too: one botocore client in all."""
        return bind_table(*self._table).connection

    @property
    def figures(self) -> FigureStore:
        """The daily analytics figures."""
        from chalicelib.store.figures import FigureStore  # deferred: only reports and the stream consumer read them

        return FigureStore(self.connection, self._table[0])

    @property
    def texts(self) -> TextCounts:
        """Texts sent per day to each number and customer."""
        return TextCounts(self.connection)

    # -- schema -----------------------------------------------------------------------------
    def create_table(self) -> bool:
        """Create the table from the models' own declaration; False if it already exists."""
        if Item.exists():
            return False
        Item.create_table(wait=True)
        Item.update_ttl(ignore_update_ttl_errors=True)
        return True

    # -- catalogue --------------------------------------------------------------------------
    def catalogue(self) -> Catalogue:
        """Settings, services, staff with their hours, and the business's closures: one Query."""
        settings, services, staff, closures = None, {}, {}, {}
        for item in Item.query(BUSINESS):
            if isinstance(item, SettingsItem):
                settings = item
            elif isinstance(item, ServiceItem):
                service = mapping.service_from(item)
                services[service.id] = service
            elif isinstance(item, StaffItem):
                member = mapping.staff_from(item)
                staff[member.id] = member
            elif isinstance(item, ClosureItem):
                closures[date.fromisoformat(item.sk.removeprefix("CLOSURE#"))] = item.name
        return Catalogue(mapping.settings_from(settings), services, staff, closures)

    def save_catalogue(self, settings: BusinessSettings, services: list[Service], staff: list[StaffMember]) -> None:
        with Item.batch_write() as batch:
            batch.save(mapping.settings_item(settings))
            for service in services:
                batch.save(mapping.service_item(service))
            for member in staff:
                batch.save(mapping.staff_item(member))

    # -- occupancy --------------------------------------------------------------------------
    def busy(self, staff_id: str, start: datetime, end: datetime) -> set[datetime]:
        """Every locked granule of a staff member in [start, end): one strongly consistent Query."""
        query = LockItem.query(
            f"STAFF#{staff_id}",
            LockItem.sk.between(lock_sk(start), lock_sk(end)),
            consistent_read=True,
        )
        return {datetime.strptime(item.sk, "LOCK#%Y-%m-%dT%H:%MZ").replace(tzinfo=UTC) for item in query}

    # -- appointments -----------------------------------------------------------------------
    def appointment(self, appointment_id: str) -> Appointment:
        try:
            item = AppointmentItem.get(f"APPT#{appointment_id}", "APPT", consistent_read=True)
        except DoesNotExist:
            raise NotFound(f"There is no appointment {appointment_id!r}.") from None
        return mapping.appointment_from(item)

    def customer_appointments(
        self, customer_id: str, scope: str, cursor: str | None, limit: int, now: datetime
    ) -> Page:
        """One page of a customer's appointments: upcoming soonest first, the rest newest first."""
        partition, moment = f"CUSTOMER#{customer_id}", mapping.timeline_key(now)
        open_statuses = [Status.PENDING.value, Status.CONFIRMED.value]
        key_condition, status_filter, newest_first = {
            "all": (None, None, True),
            "upcoming": (Item.gsi1sk >= moment, AppointmentItem.status.is_in(*open_statuses), False),
            "past": (Item.gsi1sk < moment, None, True),
        }.get(scope, (None, AppointmentItem.status == scope, True))
        results = Item.by_customer.query(
            partition,
            key_condition,
            status_filter,
            scan_index_forward=not newest_first,
            limit=limit,
            last_evaluated_key=decode_cursor(cursor, partition),
        )
        appointments = [mapping.appointment_from(item) for item in results if isinstance(item, AppointmentItem)]
        return Page(appointments, encode_cursor(results.last_evaluated_key))

    def scoped_appointments(self, scope: Scope, staff_id: str | None, cursor: str | None, limit: int) -> Page:
        """One page of a front-desk list, from whichever index holds it in one Query."""
        statuses = [s.value for s in scope.statuses]
        condition = AppointmentItem.status.is_in(*statuses) & (Item.kind == AppointmentItem)
        index: GlobalSecondaryIndex[Item]
        sort: UnicodeAttribute | None
        if scope.day is not None:  # one day of every staff member: the day partition holds it all
            index, key, partition, sort = Item.by_day, "gsi3pk", f"DAY#{scope.day.isoformat()}", None
        elif staff_id:
            index, key, partition, sort = Item.by_staff, "gsi2pk", f"STAFF#{staff_id}", Item.gsi2sk
        elif scope.statuses <= OPEN:
            index, key, partition, sort = Item.by_status, "gsi4pk", "OPEN", Item.gsi4sk
        elif len(scope.statuses) == 1:
            index, key, partition, sort = Item.by_status, "gsi4pk", f"STATUS#{statuses[0]}", Item.gsi4sk
        else:
            raise InvalidInput("Choose a scope, a date or a staff member.", {"scope": "too wide"})
        if staff_id:
            condition &= AppointmentItem.staff_id == staff_id
        range_condition = None
        if scope.start and scope.end and sort is not None:
            range_condition = sort.between(mapping.timeline_key(scope.start), mapping.timeline_key(scope.end))
        results = index.query(
            partition,
            range_condition,
            condition,
            scan_index_forward=not scope.newest_first,
            limit=limit,
            last_evaluated_key=decode_cursor(cursor, partition, key),
        )
        found = [mapping.appointment_from(item) for item in results if isinstance(item, AppointmentItem)]
        if scope.start and scope.end:
            found = [a for a in found if scope.start <= a.start < scope.end]
        return Page(found, encode_cursor(results.last_evaluated_key))

    def confirmed_started_before(self, moment: datetime, limit: int = 100) -> list[Appointment]:
        """Confirmed appointments that started before a moment: one Query of the OPEN partition."""
        results = Item.by_status.query(
            "OPEN",
            Item.gsi4sk < mapping.timeline_key(moment),
            AppointmentItem.status == Status.CONFIRMED.value,
            limit=limit,
        )
        return [mapping.appointment_from(i) for i in results if isinstance(i, AppointmentItem)]

    def scheduled_between(self, start: datetime, end: datetime) -> list[Appointment]:
        """Every appointment scheduled in [start, end): one Query per status partition (four)."""
        found: list[Appointment] = []
        window = Item.gsi4sk.between(mapping.timeline_key(start), mapping.timeline_key(end))
        for partition in ("OPEN", *(f"STATUS#{s.value}" for s in Status if s.is_final)):
            found += [
                mapping.appointment_from(i)
                for i in Item.by_status.query(partition, window)
                if isinstance(i, AppointmentItem)
            ]
        return [a for a in found if start <= a.start < end]

    def save(
        self,
        before: Appointment | None,
        after: Appointment,
        change: Change,
        claim: IdempotencyClaim | None = None,
        notices: Plan | None = None,
        event: tuple[str, str] | None = None,
        staff: StaffMember | None = None,
    ) -> Appointment:
        """Write an appointment's change and its locks in one transaction.

        Locks the change frees are deleted, locks it takes are put on condition that nobody holds
        them, and the appointment is put on condition that nobody changed it meanwhile. `event`
        (id, type) is a provider event the change applies: claimed in the same transaction, once.
        `staff` is the staff member as the decision read them (their hours): time is taken only if
        they are unchanged since, so a change of hours and a booking are never both decided on the old.
        """
        for attempt in range(TRANSACTION_ATTEMPTS):
            item = mapping.appointment_item(after)
            try:
                with TransactWrite(connection=self.connection) as tx:
                    writes = Writes(tx)
                    self._write(writes, item, before, after, change, claim, notices or Plan(), event)
                    if staff is not None and lock_keys(after) - lock_keys(before):
                        key = (BUSINESS, f"STAFF#{staff.id}")
                        writes.check("staff", StaffItem, key, revision_is(staff.revision))
                    writes.ensure_fits()
                return mapping.appointment_from(item)
            except TransactWriteError as error:
                self._raise_for(writes.failed(error))
                codes = set(cancellation_codes(error))
                last = attempt == TRANSACTION_ATTEMPTS - 1
                if not codes & RETRIED or (last and codes & THROTTLED):
                    raise  # a throttled item still throttled: the caller's 503, not a 409
                time.sleep(random.uniform(0.01, 0.05) * 2**attempt)  # back off, then retry the transaction
        raise ConcurrentChange("The appointment is busy; please try again.")

    def _write(
        self,
        writes: Writes,
        item: AppointmentItem,
        before: Appointment | None,
        after: Appointment,
        change: Change,
        claim: IdempotencyClaim | None,
        notices: Plan,
        event: tuple[str, str] | None,
    ) -> None:
        if claim:
            idempotency = IdempotencyItem(
                claim.pk,
                "IDEM",
                fingerprint=claim.fingerprint,
                appointment_id=after.id,
                expires_at=datetime.now(UTC) + IDEMPOTENCY_RETENTION,
            )
            writes.save("claim", idempotency, condition=IdempotencyItem.pk.does_not_exist())
        writes.save("appointment", item)  # its version attribute adds "unchanged since read" (or "new")
        audit = mapping.audit_item(change, after.version + 1)
        writes.save("audit", audit, condition=AuditItem.sk.does_not_exist())
        if before is None:
            profile, actions = mapping.profile_update(after)
            writes.update("profile", profile, actions)
        for notice in notices.put:  # the outbox: no change commits without the messages it owes
            writes.save("notice", mapping.notice_item(notice))
        for key in notices.drop:
            writes.delete("notice", NoticeItem(*mapping.notice_key(after.id, key)))
        owner = f"APPT#{after.id}"
        take(writes, lock_keys(after) - lock_keys(before), owner, after.end + LOCK_RETENTION)
        free(writes, lock_keys(before) - lock_keys(after), owner)
        if event:
            writes.save("event", self._event_item(*event), condition=EventItem.pk.does_not_exist())

    @staticmethod
    def _event_item(event_id: str, event_type: str) -> EventItem:
        return EventItem(
            f"EVENT#{event_id}", "EVENT", event_type=event_type, expires_at=datetime.now(UTC) + EVENT_RETENTION
        )

    def claim_event(self, event_id: str, event_type: str) -> bool:
        """For an event that changes no appointment: True the first time only."""
        return _put_if_absent(self._event_item(event_id, event_type))

    # -- payments -----------------------------------------------------------------------------
    def attach_intent(self, appointment: Appointment, intent_id: str) -> str:
        """Record the appointment's one payment intent; if another request got there first, theirs wins."""
        pk = f"APPT#{appointment.id}"
        try:
            with TransactWrite(connection=self.connection) as tx:
                tx.save(
                    PaymentIntentItem(f"PI#{intent_id}", "PI", appointment_id=appointment.id),
                    condition=PaymentIntentItem.pk.does_not_exist(),
                )
                tx.update(
                    AppointmentItem(pk, "APPT", version=appointment.version),
                    actions=[AppointmentItem.payment_intent_id.set(intent_id)],
                    condition=AppointmentItem.payment_intent_id.does_not_exist(),
                )
        except TransactWriteError as error:
            if "ConditionalCheckFailed" not in cancellation_codes(error):
                raise
            current = self.appointment(appointment.id)
            if current.payment_intent_id:
                return current.payment_intent_id
            raise ConcurrentChange("The appointment changed meanwhile; please try again.") from None
        return intent_id

    def appointment_of_intent(self, intent_id: str) -> str | None:
        try:
            return str(PaymentIntentItem.get(f"PI#{intent_id}", "PI").appointment_id)
        except DoesNotExist:
            return None

    @staticmethod
    def _raise_for(failed: set[str]) -> None:
        if "event" in failed:
            raise EventSeen()
        if "claim" in failed:
            raise Replayed()
        if "appointment" in failed:
            raise ConcurrentChange("The appointment was changed meanwhile; reload it and try again.")
        if "staff" in failed:
            raise ConcurrentChange(
                "The staff member's hours or the closures changed meanwhile; check the time and try again."
            )
        if "lock" in failed:
            raise SlotTaken("That time has just been taken; please choose another slot.")

    # -- blocks and timelines ---------------------------------------------------------------
    def save_block(self, block: Block) -> Block:
        """The block and every granule it covers, in one transaction: a booking and a block never both win."""
        owner = f"BLOCK#{block.id}"
        try:
            with TransactWrite(connection=self.connection) as tx:
                writes = Writes(tx)
                writes.save("block", mapping.block_item(block), condition=BlockItem.pk.does_not_exist())
                take(writes, granule_keys(block.staff_id, block.locked_granules), owner, block.end + LOCK_RETENTION)
        except TransactWriteError as error:
            codes = cancellation_codes(error)
            if "ConditionalCheckFailed" in codes or "TransactionConflict" in codes:
                raise SlotTaken("That time is already taken.") from None
            raise
        return block

    def block(self, block_id: str) -> Block:
        try:
            return mapping.block_from(BlockItem.get(f"BLOCK#{block_id}", "BLOCK", consistent_read=True))
        except DoesNotExist:
            raise NotFound(f"There is no block {block_id!r}.") from None

    def delete_block(self, block: Block) -> None:
        owner = f"BLOCK#{block.id}"
        with TransactWrite(connection=self.connection) as tx:
            writes = Writes(tx)
            writes.delete("block", mapping.block_item(block), condition=BlockItem.pk.exists())
            free(writes, granule_keys(block.staff_id, block.locked_granules), owner)

    def timeline(self, staff_id: str, start: datetime, end: datetime) -> tuple[list[Appointment], list[Block]]:
        """A staff member's appointments and blocks that overlap [start, end): one Query of gsi2."""
        earliest = start - MAX_BLOCK  # nothing longer can start earlier and still overlap
        query = Item.by_staff.query(
            f"STAFF#{staff_id}", Item.gsi2sk.between(mapping.timeline_key(earliest), mapping.timeline_key(end))
        )
        return _overlapping(query, start, end)

    def day(self, day: date, start: datetime, end: datetime) -> tuple[list[Appointment], list[Block]]:
        """Every staff member's appointments and blocks of one local day: one Query of gsi3."""
        return _overlapping(Item.by_day.query(f"DAY#{day.isoformat()}"), start, end)

    def customer(self, customer_id: str) -> Customer:
        try:
            return mapping.customer_from(CustomerItem.get(*mapping.customer_key(customer_id), consistent_read=True))
        except DoesNotExist:
            raise NotFound(f"There is no customer {customer_id!r}.") from None

    def customers(self, customer_ids: Iterable[str]) -> dict[str, Customer]:
        """Profiles by id: one BatchGetItem per 100 ids; ids without a profile are left out."""
        keys = [mapping.customer_key(i) for i in dict.fromkeys(customer_ids)]
        found = (mapping.customer_from(item) for item in CustomerItem.batch_get(keys)) if keys else iter(())
        return {customer.id: customer for customer in found}

    def customers_by_phone(self, phone: str) -> list[Customer]:
        results = Item.by_customer.query(f"PHONE#{phone}", limit=20)
        return [mapping.customer_from(i) for i in results if isinstance(i, CustomerItem)]

    def customers_by_name(self, prefix: str) -> list[Customer]:
        results = Item.by_day.query("CUSTOMERS", Item.gsi3sk.startswith(prefix.casefold()), limit=20)
        return [mapping.customer_from(i) for i in results if isinstance(i, CustomerItem)]

    def all_customer_appointments(self, customer_id: str, limit: int = 500) -> list[Appointment]:
        results = Item.by_customer.query(f"CUSTOMER#{customer_id}", scan_index_forward=False, limit=limit)
        return [mapping.appointment_from(i) for i in results if isinstance(i, AppointmentItem)]

    def save_settings(self, settings: BusinessSettings, repriced: Iterable[Service] = ()) -> None:
        """The settings, and the services a change of currency reprices, in one transaction."""
        with TransactWrite(connection=self.connection) as tx:
            tx.save(mapping.settings_item(settings))
            for service in repriced:
                tx.save(mapping.service_item(service), condition=ServiceItem.pk.exists())

    def open_appointment_count(self) -> int:
        """Pending and confirmed appointments, past or ahead: one COUNT Query of the OPEN partition."""
        return Item.by_status.count("OPEN")

    def save_service(self, service: Service) -> None:
        mapping.service_item(service).save()

    def save_staff(self, member: StaffMember) -> StaffMember:
        """On condition that nobody changed them since `member` was read; the saved one has the next revision."""
        saved = replace(member, revision=member.revision + 1)
        try:
            mapping.staff_item(saved).save(condition=revision_is(member.revision))
        except PutError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                raise ConcurrentChange(f"{member.name} was changed meanwhile; reload and try again.") from None
            raise
        return saved

    def add_closures(self, closures: Iterable[Closure], staff: Iterable[StaffMember]) -> None:
        """The closures, and a new revision for every staff member in the same transaction: a booking
        decided before on their hours then fails its check, so none lands on a closed day unreported."""
        with TransactWrite(connection=self.connection) as tx:
            for closure in closures:
                expires = datetime.combine(closure.day + timedelta(days=2), datetime.min.time(), UTC)
                item = ClosureItem(BUSINESS, f"CLOSURE#{closure.day.isoformat()}", name=closure.name)
                item.expires_at = expires
                tx.save(item)
            new_revisions(tx, staff)

    def freeze_settings(self, settings: BusinessSettings, staff: Iterable[StaffMember]) -> None:
        """Settings marked as changing, and a new revision for every staff member, in one transaction: a booking
        decided before fails its check, and one decided after sees the mark and waits."""
        with TransactWrite(connection=self.connection) as tx:
            tx.save(mapping.settings_item(settings))
            new_revisions(tx, staff)

    def remove_closure(self, day: date) -> None:
        try:
            ClosureItem(BUSINESS, f"CLOSURE#{day.isoformat()}").delete(condition=ClosureItem.pk.exists())
        except DeleteError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                raise NotFound(f"There is no closure on {day}.") from None
            raise

    def open_appointments(self, staff_id: str, start: datetime, end: datetime) -> list[Appointment]:
        """A staff member's open appointments holding time in [start, end), as committed (strongly consistent):
        the locks they hold (one Query), then the appointments (one BatchGet per 100)."""
        locks = LockItem.query(
            f"STAFF#{staff_id}", LockItem.sk.between(lock_sk(start), lock_sk(end)), consistent_read=True
        )
        ids = dict.fromkeys(lock.owner for lock in locks if lock.owner.startswith("APPT#"))
        found = AppointmentItem.batch_get([(owner, "APPT") for owner in ids], consistent_read=True) if ids else ()
        appointments = (mapping.appointment_from(item) for item in found)
        return sorted((a for a in appointments if not a.status.is_final and a.end > start), key=lambda a: a.start)

    # -- notices ------------------------------------------------------------------------------
    def due_notices(self, now: datetime, limit: int = 100) -> list[Notice]:
        """Notices not yet on the queue whose time has come: one Query of the sparse gsi5."""
        results = Item.due.query("DUE", Item.gsi5sk <= mapping.timeline_key(now) + "~", limit=limit)
        return [mapping.notice_from(i) for i in results if isinstance(i, NoticeItem)]

    def relayed(self, notice: Notice, at: datetime, version: int) -> bool:
        """Take a notice out of the outbox once queued; False if someone else did, or the appointment moved on."""
        pk, sk = mapping.notice_key(notice.appointment_id, notice.key)
        stamp = {
            Kind.CONFIRMATION: AppointmentItem.confirmation_sent_at,
            Kind.REMINDER: AppointmentItem.reminder_sent_at,
        }.get(notice.kind)
        try:
            with TransactWrite(connection=self.connection) as tx:
                tx.delete(NoticeItem(pk, sk), condition=NoticeItem.pk.exists())
                if stamp is not None:
                    # on the version read, which it raises by one: no stale full write can undo the stamp
                    tx.update(AppointmentItem(pk, "APPT", version=version), actions=[stamp.set(at)])
        except TransactWriteError as error:
            if "ConditionalCheckFailed" in cancellation_codes(error):
                return False
            raise
        return True

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

    def claim_delivery(self, message_id: str, channel: str, at: datetime) -> bool:
        """One delivery per message and channel, whatever the redeliveries: a conditional put."""
        delivery = DeliveryItem(
            f"MSG#{message_id}", f"CHANNEL#{channel}", sent_at=at, expires_at=at + timedelta(days=30)
        )
        return _put_if_absent(delivery)

    def release_delivery(self, message_id: str, channel: str) -> None:
        DeliveryItem(f"MSG#{message_id}", f"CHANNEL#{channel}").delete()

    def history(self, appointment_id: str) -> list[Change]:
        """Every recorded change of one appointment, oldest first: one Query of its partition."""
        query = AuditItem.query(f"APPT#{appointment_id}", AuditItem.sk.startswith("AUDIT#"), consistent_read=True)
        return [mapping.change_from(item) for item in query]

    def replayed_appointment(self, claim: IdempotencyClaim) -> Appointment:
        earlier = self.find_replay(claim)
        if earlier is None:  # the claim expired between the failed write and this read
            raise ConcurrentChange("Please try again.")
        return earlier

    def find_replay(self, claim: IdempotencyClaim) -> Appointment | None:
        """The appointment a request with this key made before, if any."""
        try:
            item = IdempotencyItem.get(claim.pk, "IDEM", consistent_read=True)
        except DoesNotExist:
            return None
        if item.fingerprint != claim.fingerprint:
            raise IdempotencyKeyReused("This Idempotency-Key was already used for a different request.")
        return self.appointment(item.appointment_id)
