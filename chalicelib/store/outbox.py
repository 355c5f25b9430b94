"""The outbox (notices a change owes, until queued) and deliveries (one per message and channel)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.notices import Kind, Notice
from chalicelib.store import mapping
from chalicelib.store.models import AppointmentItem, DeliveryItem, Item, NoticeItem
from chalicelib.store.occupancy import cancellation_codes
from chalicelib.store.table import Table, put_if_absent

DELIVERY_RETENTION = timedelta(days=30)  # far past any redelivery


class Outbox:
    def __init__(self, table: Table) -> None:
        self._table = table

    def due(self, now: datetime, limit: int = 100) -> list[Notice]:
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
            with TransactWrite(connection=self._table.connection) as tx:
                tx.delete(NoticeItem(pk, sk), condition=NoticeItem.pk.exists())
                if stamp is not None:
                    # on the version read, which it raises by one: no stale full write can undo the stamp
                    tx.update(AppointmentItem(pk, "APPT", version=version), actions=[stamp.set(at)])
        except TransactWriteError as error:
            if "ConditionalCheckFailed" in cancellation_codes(error):
                return False
            raise
        return True

    def claim_delivery(self, message_id: str, channel: str, at: datetime) -> bool:
        """One delivery per message and channel, whatever the redeliveries: a conditional put."""
        delivery = DeliveryItem(
            f"MSG#{message_id}", f"CHANNEL#{channel}", sent_at=at, expires_at=at + DELIVERY_RETENTION
        )
        return put_if_absent(delivery)

    def release_delivery(self, message_id: str, channel: str) -> None:
        DeliveryItem(f"MSG#{message_id}", f"CHANNEL#{channel}").delete()
