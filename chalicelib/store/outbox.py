"""The outbox (notices a change owes, until queued) and deliveries (one per message and channel)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from pynamodb.exceptions import DeleteError, UpdateError

from chalicelib.domain.notices import Notice
from chalicelib.store import mapping, stamps
from chalicelib.store.models import DeliveryItem, Item, NoticeItem, StampsItem
from chalicelib.store.table import put_if_absent

DELIVERY_RETENTION = timedelta(days=30)  # far past any redelivery


@dataclass(frozen=True)
class Due:
    notices: list[Notice]  # notice items whose time has come
    schedules: list[tuple[str, str]]  # (appointment id, due key): schedules owing a confirmation or reminder by now


class Outbox:
    def due(self, now: datetime, limit: int = 100) -> Due:
        """What is owed by now: one Query of the sparse gsi5, which holds notices and the appointments' schedules."""
        results = list(Item.due.query("DUE", Item.gsi5sk <= mapping.timeline_key(now) + "~", limit=limit))
        notices = [mapping.notice_from(i) for i in results if isinstance(i, NoticeItem)]
        schedules = [(i.pk.removeprefix("APPT#"), str(i.gsi5sk)) for i in results if isinstance(i, StampsItem)]
        return Due(notices, schedules)

    def relayed(self, notice: Notice) -> bool:
        """Take a notice out of the outbox once queued; False if someone else did, or a change replaced it (a
        conditional delete: the notice as read, by its due time)."""
        pk, sk = mapping.notice_key(notice.appointment_id, notice.key)
        waiting = mapping.notice_item(notice).gsi5sk
        try:
            NoticeItem(pk, sk).delete(condition=NoticeItem.gsi5sk == waiting)
        except DeleteError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
                return False
            raise
        return True

    def schedule_relayed(
        self, appointment_id: str, due: str, notice: Notice | None, next_due: datetime | None, at: datetime
    ) -> bool:
        """Stamp what the schedule due at `due` (its key) queued, and set when it is next due: one update, on
        condition that no change set the schedule since (False then: the change's schedule stands)."""
        item, actions = stamps.sent(appointment_id, notice, next_due, at)
        try:
            item.update(actions=actions, condition=StampsItem.gsi5sk == due)
        except UpdateError as error:
            if error.cause_response_code == "ConditionalCheckFailedException":
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
