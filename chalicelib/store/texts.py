"""Messages sent per day on a paid channel (SMS, email) to each address and each customer: the counters
behind the business's caps.

The customer's counter is also the message's claim: it names the messages it counted, so a redelivered message
is recognised by the very write that would count it again (one conditional update), and the address's counter
is a second one. A booking's three texts cost 2 write units each instead of 5 (a delivery item, then both
counters in a transaction: docs/cost.md).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from pynamodb.exceptions import UpdateError
from pynamodb.expressions.condition import Condition
from pynamodb.expressions.update import Action

from chalicelib.domain.texting import TextQuota
from chalicelib.store.models import TextCountItem


class Counted(StrEnum):
    TAKEN = "taken"  # counted now: send it
    BEFORE = "before"  # this message was counted already (a redelivery): not again
    CAPPED = "capped"  # the address or the customer is at the day's cap: not sent


def _keys(day: date, channel: str, address: str, customer_id: str) -> tuple[tuple[str, str], tuple[str, str]]:
    pk = f"SENT#{day.isoformat()}"
    return (pk, f"{channel}#TO#{address}"), (pk, f"{channel}#CUSTOMER#{customer_id}")


def _refused(error: UpdateError) -> bool:
    return error.cause_response_code == "ConditionalCheckFailedException"


class TextCounts:
    def sent(self, day: date, channel: str, address: str, customer_id: str) -> tuple[int, int]:
        """Today's messages on a channel to the address and to the customer: one consistent BatchGetItem."""
        keys = _keys(day, channel, address, customer_id)
        found = {(i.pk, i.sk): int(i.sent or 0) for i in TextCountItem.batch_get(keys, consistent_read=True)}
        return found.get(keys[0], 0), found.get(keys[1], 0)

    def take(self, quota: TextQuota, channel: str, address: str, customer_id: str, message_id: str) -> Counted:
        """Count a message once to the customer and to the address, both under their caps, or neither.

        The customer's counter first, on condition that it has not counted this message and is under its cap;
        then the address's, under its cap, and if that refuses, the customer's count is given back."""
        expires = datetime.combine(quota.day + timedelta(days=2), time(), UTC)
        number, customer = _keys(quota.day, channel, address, customer_id)
        counter = TextCountItem(*customer)
        new = TextCountItem.messages.does_not_exist() | ~TextCountItem.messages.contains(message_id)
        try:
            counter.update(
                actions=[*_counted(expires), TextCountItem.messages.add({message_id})],
                condition=new & _under(quota.per_customer),
            )
        except UpdateError as error:
            if not _refused(error):
                raise
            seen = TextCountItem.get(*customer, consistent_read=True).messages or set()
            return Counted.BEFORE if message_id in seen else Counted.CAPPED
        try:
            TextCountItem(*number).update(actions=_counted(expires), condition=_under(quota.per_number))
        except UpdateError as error:
            self.give_back(quota, channel, address, customer_id, message_id, to_number=False)
            if not _refused(error):
                raise
            return Counted.CAPPED
        return Counted.TAKEN

    def give_back(
        self, quota: TextQuota, channel: str, address: str, customer_id: str, message_id: str, to_number: bool = True
    ) -> None:
        """Undo a count (the message was not sent), so that a redelivery may count and send it."""
        number, customer = _keys(quota.day, channel, address, customer_id)
        TextCountItem(*customer).update(
            actions=[TextCountItem.sent.add(-1), TextCountItem.messages.delete({message_id})],
            condition=TextCountItem.messages.contains(message_id),
        )
        if to_number:
            TextCountItem(*number).update(actions=[TextCountItem.sent.add(-1)])


def _counted(expires: datetime) -> list[Action]:
    return [TextCountItem.sent.add(1), TextCountItem.kind.set(TextCountItem), TextCountItem.expires_at.set(expires)]


def _under(cap: int) -> Condition:
    under: Condition = TextCountItem.sent.does_not_exist() | (TextCountItem.sent < cap)
    return under
