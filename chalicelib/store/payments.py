"""Payments as the table keeps them: an appointment's one intent, and provider events applied once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.appointment import Appointment
from chalicelib.domain.errors import ConcurrentChange
from chalicelib.store.appointments import AppointmentStore
from chalicelib.store.models import AppointmentItem, EventItem, PaymentIntentItem
from chalicelib.store.occupancy import cancellation_codes
from chalicelib.store.table import Table, put_if_absent

EVENT_RETENTION = timedelta(days=30)  # far past any redelivery


class EventSeen(Exception):
    """A provider event that was applied before: nothing to do."""


def event_item(event_id: str, event_type: str) -> EventItem:
    return EventItem(
        f"EVENT#{event_id}", "EVENT", event_type=event_type, expires_at=datetime.now(UTC) + EVENT_RETENTION
    )


class PaymentStore:
    def __init__(self, table: Table, appointments: AppointmentStore) -> None:
        self._table, self._appointments = table, appointments

    def claim_event(self, event_id: str, event_type: str) -> bool:
        """For an event that changes no appointment: True the first time only."""
        return put_if_absent(event_item(event_id, event_type))

    def attach_intent(self, appointment: Appointment, intent_id: str) -> str:
        """Record the appointment's one payment intent; if another request got there first, theirs wins."""
        pk = f"APPT#{appointment.id}"
        try:
            with TransactWrite(connection=self._table.connection) as tx:
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
            current = self._appointments.get(appointment.id)
            if current.payment_intent_id:
                return current.payment_intent_id
            raise ConcurrentChange("The appointment changed meanwhile; please try again.") from None
        return intent_id

    def appointment_of_intent(self, intent_id: str) -> str | None:
        try:
            return str(PaymentIntentItem.get(f"PI#{intent_id}", "PI").appointment_id)
        except DoesNotExist:
            return None
