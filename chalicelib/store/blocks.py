"""Blocks: time a staff member cannot be booked, held on their calendar like an appointment's."""

from __future__ import annotations

from collections.abc import Mapping

from pynamodb.exceptions import DoesNotExist

from chalicelib.domain.block import Block
from chalicelib.domain.errors import NotFound, SlotTaken
from chalicelib.domain.occupancy import CalendarDay, DayKey, holdings
from chalicelib.store import mapping
from chalicelib.store.models import BlockItem
from chalicelib.store.occupancy import Writes, changed_days, hold_time, transact
from chalicelib.store.table import Table


def _raise_for(failed: set[str]) -> None:
    if "block" in failed:
        raise NotFound("There is no such block any more.")


class BlockStore:
    def __init__(self, table: Table) -> None:
        self._table = table

    def save(self, block: Block) -> Block:
        """The block and its time, in one transaction: a booking and a block never both win."""
        held = holdings(block.occupied, block.holder)

        def build(writes: Writes, days: Mapping[DayKey, CalendarDay]) -> None:
            writes.save("block", mapping.block_item(block), condition=BlockItem.pk.does_not_exist())
            hold_time(writes, days, block.holder, {}, held)

        try:
            transact(self._table.connection, changed_days({}, held), build, _raise_for)
        except SlotTaken:
            raise SlotTaken("That time is already taken.") from None
        return block

    def get(self, block_id: str) -> Block:
        try:
            return mapping.block_from(BlockItem.get(f"BLOCK#{block_id}", "BLOCK", consistent_read=True))
        except DoesNotExist:
            raise NotFound(f"There is no block {block_id!r}.") from None

    def delete(self, block: Block) -> None:
        held = holdings(block.occupied, block.holder)

        def build(writes: Writes, days: Mapping[DayKey, CalendarDay]) -> None:
            writes.delete("block", mapping.block_item(block), condition=BlockItem.pk.exists())
            hold_time(writes, days, block.holder, held, {})

        transact(self._table.connection, changed_days(held, {}), build, _raise_for)
