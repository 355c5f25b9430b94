"""A domain dataclass's fields as its item's attributes, so that a field is declared once, in the domain.

Each field is kept in the attribute of its name (or the one it is `renamed` to) and converted by the type
it declares: an enum by its value, a tuple as a list and a frozenset as a set (left out when empty); a
number comes back as an int and a missing text as "". Fields kept `apart` (in the key, as JSON, over two
attributes) are mapped by hand beside; those `absent_when_empty` are left out of the item rather than
written empty, where a condition asks whether the attribute exists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from enum import Enum
from functools import cached_property
from types import NoneType, UnionType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, Union, get_args, get_origin, get_type_hints

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

Thing = TypeVar("Thing", bound="DataclassInstance")
Reader = Callable[[Any], Any]


@dataclass(frozen=True)
class StoredFields(Generic[Thing]):
    """How the fields of `kind` are kept on its item."""

    kind: type[Thing]
    apart: frozenset[str] = frozenset()
    renamed: Mapping[str, str] = field(default_factory=dict)
    absent_when_empty: frozenset[str] = frozenset()

    @cached_property
    def names(self) -> dict[str, str]:
        """Each field not kept apart, and the attribute it is kept in."""
        return {f.name: self.renamed.get(f.name, f.name) for f in fields(self.kind) if f.name not in self.apart}

    def attributes_of(self, thing: Thing) -> dict[str, Any]:
        """The item's attributes for `thing`'s fields (those kept apart aside)."""
        attributes = {}
        for name, attribute in self.names.items():
            value = getattr(thing, name)
            if value or name not in self.absent_when_empty:
                attributes[attribute] = _stored(value)
        return attributes

    def fields_of(self, item: object) -> dict[str, Any]:
        """The fields kept on `item`, as `kind` declares them (those kept apart aside)."""
        return {name: read(getattr(item, attribute)) for name, attribute, read in self._readers}

    @cached_property
    def _readers(self) -> tuple[tuple[str, str, Reader], ...]:
        hints = get_type_hints(self.kind)
        return tuple((name, attribute, _reader(hints[name])) for name, attribute in self.names.items())


def _stored(value: object) -> object:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return list(value) or None
    if isinstance(value, frozenset):
        return set(value) or None
    return value


def _reader(hint: Any) -> Reader:
    """How a stored value comes back as the type `hint`; None stays None where the field allows it."""
    if get_origin(hint) in (Union, UnionType) and NoneType in get_args(hint):
        (declared,) = (arg for arg in get_args(hint) if arg is not NoneType)
        read = _reader(declared)
        return lambda value: None if value is None else read(value)
    if hint is int:
        return lambda value: int(value or 0)
    if hint is str:
        return lambda value: value or ""
    if get_origin(hint) is tuple:
        element = get_args(hint)[0]
        return lambda value: tuple(element(v) for v in value or ())
    if get_origin(hint) is frozenset:
        return lambda value: frozenset(value or ())
    if isinstance(hint, type) and issubclass(hint, Enum):
        return hint
    return lambda value: value  # bool, datetime, JSON: pynamodb gives them as they are
