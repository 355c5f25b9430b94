"""Appointments and their history, read by id, by customer, by front-desk scope and by status."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from pynamodb.attributes import UnicodeAttribute
from pynamodb.indexes import GlobalSecondaryIndex

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.errors import InvalidInput, NotFound
from chalicelib.domain.history import Change
from chalicelib.domain.scopes import OPEN, Scope
from chalicelib.domain.status import Status
from chalicelib.domain.visits import share_of
from chalicelib.store import mapping, stamps
from chalicelib.store.models import AppointmentItem, AuditItem, Item, ShareItem, StampsItem
from chalicelib.store.pages import Page, decode_cursor, encode_cursor


def _appointments(items: Iterable[Item], stamped: bool = True) -> list[Appointment]:
    """A list's appointments, with their stamps unless not `stamped` (store/stamps.py: one BatchGetItem per 100)."""
    found = [mapping.appointment_from(i) for i in items if isinstance(i, AppointmentItem)]
    return stamps.with_stamps(found) if stamped else found


class AppointmentStore:
    def get(self, appointment_id: str) -> Appointment:
        """The appointment and its stamps: one Query of its partition, sk APPT and APPT#SENT (not its history)."""
        return self.with_schedule(appointment_id)[0]

    def with_schedule(self, appointment_id: str) -> tuple[Appointment, str | None]:
        """The appointment with its stamps, and its schedule's due key (None: nothing owed), as `get` reads them."""
        found = {
            type(i): i for i in Item.query(f"APPT#{appointment_id}", Item.sk.startswith("APPT"), consistent_read=True)
        }
        item = found.get(AppointmentItem)
        if not isinstance(item, AppointmentItem):
            raise NotFound(f"There is no appointment {appointment_id!r}.")
        sent = found.get(StampsItem)
        sent = sent if isinstance(sent, StampsItem) else None
        return stamps.merged(mapping.appointment_from(item), sent), sent.gsi5sk if sent else None

    def of_customer(
        self, customer_id: str, scope: str, cursor: str | None, limit: int, now: datetime, stamped: bool = True
    ) -> Page:
        """One page of a customer's appointments: upcoming soonest first, the rest newest first; without their
        stamps when not `stamped` (a booking's limits need none)."""
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
        return Page(_appointments(results, stamped), encode_cursor(results.last_evaluated_key))

    def of_customer_since(self, customer_id: str, moment: datetime) -> list[Appointment]:
        """A customer's appointments from `moment` on, without their stamps: what the deposit policy weighs (one
        Query, paged by 1 MB)."""
        partition = f"CUSTOMER#{customer_id}"
        return _appointments(Item.by_customer.query(partition, Item.gsi1sk >= mapping.timeline_key(moment)), False)

    def all_of_customer(self, customer_id: str, limit: int = 500) -> list[Appointment]:
        return _appointments(Item.by_customer.query(f"CUSTOMER#{customer_id}", scan_index_forward=False, limit=limit))

    def scoped(self, scope: Scope, staff_id: str | None, cursor: str | None, limit: int, place: str = "") -> Page:
        """One page of a front-desk list of one location (`place`, as stored: "" the business's own), from whichever
        index holds it in one Query."""
        statuses = [s.value for s in scope.statuses]
        condition = AppointmentItem.status.is_in(*statuses) & (Item.kind == AppointmentItem)
        index: GlobalSecondaryIndex[Item]
        sort: UnicodeAttribute | None
        if scope.day is not None:  # one day of every staff member: the day partition holds it all
            index, key, partition, sort = Item.by_day, "gsi3pk", f"DAY#{scope.day.isoformat()}", None
        elif staff_id:
            index, key, partition, sort = Item.by_staff, "gsi2pk", f"STAFF#{staff_id}", Item.gsi2sk
        elif scope.statuses <= OPEN:
            index, key, partition, sort = (
                Item.by_status,
                "gsi4pk",
                mapping.status_partition(Status.PENDING, place),
                Item.gsi4sk,
            )
        elif len(scope.statuses) == 1:
            partition = mapping.status_partition(Status(statuses[0]), place)
            index, key, sort = Item.by_status, "gsi4pk", Item.gsi4sk
        else:
            raise InvalidInput("Choose a scope, a date or a staff member.", {"scope": "too wide"})
        if staff_id and scope.day is None:  # the staff member's timeline: theirs, and the visits shared with them
            condition |= Item.kind == ShareItem
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
        items = list(results)
        found = _appointments(items)
        shared = [(i.pk, "APPT") for i in items if isinstance(i, ShareItem)]
        if shared:
            found += _appointments(AppointmentItem.batch_get(shared))
            found = sorted(
                (a for a in found if a.status in scope.statuses), key=lambda a: a.start, reverse=scope.newest_first
            )
        if staff_id:  # a visit is theirs if they perform any of its services
            found = [a for a in found if share_of(a, staff_id) is not None]
        if scope.day is not None or staff_id:  # partitions every location shares: this one's only
            found = [a for a in found if a.location_id == place]
        if scope.start and scope.end:
            found = [a for a in found if scope.start <= a.start < scope.end]
        return Page(found, encode_cursor(results.last_evaluated_key))

    def confirmed_started_before(
        self, moment: datetime, places: Iterable[str] = ("",), limit: int = 100
    ) -> list[Appointment]:
        """Confirmed appointments that started before a moment: one Query of each location's OPEN partition."""
        found: list[Appointment] = []
        for place in places:
            found += _appointments(
                Item.by_status.query(
                    mapping.status_partition(Status.CONFIRMED, place),
                    Item.gsi4sk < mapping.timeline_key(moment),
                    AppointmentItem.status == Status.CONFIRMED.value,
                    limit=limit,
                )
            )
        return found

    def scheduled_between(self, start: datetime, end: datetime, places: Iterable[str] = ("",)) -> list[Appointment]:
        """Every appointment scheduled in [start, end): one Query per status partition (four) of each location."""
        found: list[Appointment] = []
        window = Item.gsi4sk.between(mapping.timeline_key(start), mapping.timeline_key(end))
        for place in places:
            for status in (Status.PENDING, *(s for s in Status if s.is_final)):
                found += _appointments(Item.by_status.query(mapping.status_partition(status, place), window))
        return [a for a in found if start <= a.start < end]

    def open_count(self, places: Iterable[str] = ("",)) -> int:
        """Pending and confirmed appointments, past or ahead: one COUNT Query of each location's OPEN partition."""
        return sum(Item.by_status.count(mapping.status_partition(Status.PENDING, place)) for place in places)

    def history(self, appointment_id: str) -> list[Change]:
        """Every recorded change of one appointment, oldest first: one Query of its partition."""
        query = AuditItem.query(f"APPT#{appointment_id}", AuditItem.sk.startswith("AUDIT#"), consistent_read=True)
        return [mapping.change_from(item) for item in query]
