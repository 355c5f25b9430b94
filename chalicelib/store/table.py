"""The one DynamoDB table: its connection, and creating it from the models' own declaration."""

from __future__ import annotations

from pynamodb.connection import Connection
from pynamodb.exceptions import PutError

from chalicelib.store.models import Item, bind_table


class Table:
    def __init__(self, name: str, region: str) -> None:
        self.name, self.region = name, region
        bind_table(name, region)

    @property
    def connection(self) -> Connection:
        """The models' own connection, for transactions too: one botocore client in all."""
        return bind_table(self.name, self.region).connection

    def create(self) -> bool:
        """Create the table from the models' own declaration; False if it already exists."""
        if Item.exists():
            return False
        Item.create_table(wait=True)
        Item.update_ttl(ignore_update_ttl_errors=True)
        return True


def put_if_absent(item: Item) -> bool:
    """A conditional put: False if the item is there already."""
    try:
        item.save(condition=Item.pk.does_not_exist())
    except PutError as error:
        if error.cause_response_code == "ConditionalCheckFailedException":
            return False
        raise
    return True
