"""The parsing layer: bodies, ids and query values bounded before any view runs."""

from __future__ import annotations

import json
from datetime import date

import pytest

from chalicelib.api.parsing import MAX_DEPTH, bounded_params, json_document
from chalicelib.domain.dates import supported
from chalicelib.domain.errors import InvalidInput


def test_a_body_nested_thousands_deep_is_refused_before_it_is_decoded() -> None:
    for deep in ("[" * 3000 + "]" * 3000, '{"a":' * 3000 + "1" + "}" * 3000, "[" * 100_000):
        with pytest.raises(InvalidInput, match="nested"):
            json_document(deep)


def test_nesting_up_to_the_bound_is_fine_and_brackets_inside_strings_do_not_count() -> None:
    body = '{"a":' * (MAX_DEPTH - 1) + "[1]" + "}" * (MAX_DEPTH - 1)
    assert json_document(body)
    assert json_document(json.dumps({"notes": "[[[[" * 1000, "quote": 'a \\" [{'})) == {
        "notes": "[[[[" * 1000,
        "quote": 'a \\" [{',
    }


@pytest.mark.parametrize("number", ["1e999999", "-1e999999", "1e16", "1" * 16, "-" + "9" * 5000, "NaN", "Infinity"])
def test_numbers_out_of_range_are_refused(number: str) -> None:
    with pytest.raises(InvalidInput):
        json_document('{"price": ' + number + "}")


def test_numbers_in_range_decode_as_before() -> None:
    assert json_document('{"a": 88.5, "b": 999999999999999, "c": -1e-300, "d": 0}') == {
        "a": 88.5,
        "b": 999999999999999,
        "c": -1e-300,
        "d": 0,
    }


def test_text_that_is_not_unicode_is_refused() -> None:
    with pytest.raises(InvalidInput, match="Unicode"):
        json_document('{"name": "\\ud800"}')
    with pytest.raises(InvalidInput, match="UTF-8"):
        json_document(b'{"name": "\xff"}')
    assert json_document('{"name": "\\ud83d\\ude00"}') == {"name": "\N{GRINNING FACE}"}


def test_ids_and_query_values_are_bounded() -> None:
    bounded_params({"appointment_id": "a" * 128}, {"staffId": "\N{CJK UNIFIED IDEOGRAPH-674E}" * 170})
    for path, query in [
        ({"appointment_id": "a" * 129}, {}),
        ({"appointment_id": "a\nb"}, {}),
        ({"appointment_id": "\ud800"}, {}),
        ({}, {"staffId": "\N{CJK UNIFIED IDEOGRAPH-674E}" * 171}),
        ({}, {"cursor": "\ud800"}),
    ]:
        with pytest.raises(InvalidInput):
            bounded_params(path, query)


@pytest.mark.parametrize("day", [date(1, 1, 1), date(1999, 12, 31), date(2100, 1, 1), date(9999, 12, 31)])
def test_dates_outside_the_businesss_calendar_are_invalid(day: date) -> None:
    with pytest.raises(InvalidInput, match="date must fall between 2000-01-01 and 2099-12-31"):
        supported(day, "date")


def test_dates_inside_the_calendar_are_themselves() -> None:
    assert supported(date(2000, 1, 1), "date") == date(2000, 1, 1)
    assert supported(date(2099, 12, 31), "date") == date(2099, 12, 31)
