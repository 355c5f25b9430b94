"""Messages sent per day on a paid channel (SMS, email) to each address and each customer: the counters
behind the business's caps."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from pynamodb.connection import Connection
from pynamodb.exceptions import TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.texting import TextQuota
from chalicelib.store.models import TextCountItem


def _keys(day: date, channel: str, address: str, customer_id: str) -> tuple[tuple[str, str], tuple[str, str]]:
    pk = f"SENT#{day.isoformat()}"
    return (pk, f"{channel}#TO#{address}"), (pk, f"{channel}#CUSTOMER#{customer_id}")


class TextCounts:
    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def sent(self, day: date, channel: str, address: str, customer_id: str) -> tuple[int, int]:
        """Today's messages on a channel to the address and to the customer: one consistent BatchGetItem."""
        keys = _keys(day, channel, address, customer_id)
        found = {(i.pk, i.sk): int(i.sent or 0) for i in TextCountItem.batch_get(keys, consistent_read=True)}
        return found.get(keys[0], 0), found.get(keys[1], 0)

    def take(self, quota: TextQuota, channel: str, address: str, customer_id: str) -> bool:
        """One more message to the address and the customer, both under their caps, or neither (False)."""
        expires = datetime.combine(quota.day + timedelta(days=2), time(), UTC)
        number, customer = _keys(quota.day, channel, address, customer_id)
        caps = ((quota.per_number, number), (quota.per_customer, customer))
        try:
            with TransactWrite(connection=self._connection) as tx:
                for cap, (pk, sk) in caps:
                    tx.update(
                        TextCountItem(pk, sk),
                        actions=[
                            TextCountItem.sent.add(1),
                            TextCountItem.kind.set(TextCountItem),
                            TextCountItem.expires_at.set(expires),
                        ],
                        condition=TextCountItem.sent.does_not_exist() | (TextCountItem.sent < cap),
                    )
        except TransactWriteError as error:
            reasons = error.cancellation_reasons or []
            if any(r is not None and r.code == "ConditionalCheckFailed" for r in reasons):
                return False
            raise
        return True
