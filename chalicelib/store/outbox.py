"""The outbox (notices a change owes, until queued) and deliveries (one per message and channel)."""

from __future__ import annotations

from datetime import datetime, timedelta

from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.notices import Notice
from chalicelib.store import mapping, stamps
from chalicelib.store.models import DeliveryItem, Item, NoticeItem
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

    def relayed(self, notice: Notice, at: datetime) -> bool:
        """Take a notice out of the outbox once queued, stamping a confirmation or reminder on the appointment's
        stamps item in the same transaction; False if someone else did, or a change replaced the notice."""
        pk, sk = mapping.notice_key(notice.appointment_id, notice.key)
        waiting = mapping.notice_item(notice).gsi5sk  # its due time: a move puts a new reminder under the same key
        try:
            with TransactWrite(connection=self._table.connection) as tx:
                tx.delete(NoticeItem(pk, sk), condition=NoticeItem.gsi5sk == waiting)
                if notice.stamps_appointment:
                    tx.update(*stamps.stamp(notice.appointment_id, notice.kind, at))
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
