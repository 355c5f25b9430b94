"""Blocks: time a staff member cannot be booked, holding its granules like an appointment does."""

from __future__ import annotations

from pynamodb.exceptions import DoesNotExist, TransactWriteError
from pynamodb.transactions import TransactWrite

from chalicelib.domain.block import Block
from chalicelib.domain.errors import NotFound, SlotTaken
from chalicelib.store import mapping
from chalicelib.store.models import BlockItem
from chalicelib.store.occupancy import LOCK_RETENTION, Writes, cancellation_codes, free, granule_keys, take
from chalicelib.store.table import Table


class BlockStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    def save(self, block: Block) -> Block:
        """The block and every granule it covers, in one transaction: a booking and a block never both win."""
        owner = f"BLOCK#{block.id}"
        try:
            with TransactWrite(connection=self._table.connection) as tx:
                writes = Writes(tx)
                writes.save("block", mapping.block_item(block), condition=BlockItem.pk.does_not_exist())
                take(writes, granule_keys(block.staff_id, block.locked_granules), owner, block.end + LOCK_RETENTION)
        except TransactWriteError as error:
            codes = cancellation_codes(error)
            if "ConditionalCheckFailed" in codes or "TransactionConflict" in codes:
                raise SlotTaken("That time is already taken.") from None
            raise
        return block

    def get(self, block_id: str) -> Block:
        try:
            return mapping.block_from(BlockItem.get(f"BLOCK#{block_id}", "BLOCK", consistent_read=True))
        except DoesNotExist:
            raise NotFound(f"There is no block {block_id!r}.") from None

    def delete(self, block: Block) -> None:
        owner = f"BLOCK#{block.id}"
        with TransactWrite(connection=self._table.connection) as tx:
            writes = Writes(tx)
            writes.delete("block", mapping.block_item(block), condition=BlockItem.pk.exists())
            free(writes, granule_keys(block.staff_id, block.locked_granules), owner)
