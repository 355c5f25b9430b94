import pytest

from chalicelib.domain.errors import AmountMismatch, InvalidInput
from chalicelib.domain.money import Money, ensure_amount_matches


def test_major_units_from_the_client_become_exact_minor_units() -> None:
    assert Money.from_major(199.0, "CNY") == Money(19900, "CNY")
    assert Money.from_major("0.10", "CNY") == Money(10, "CNY")
    assert Money.from_major(88, "CNY").major == 88.0
    assert Money.from_major(500, "JPY") == Money(500, "JPY")


@pytest.mark.parametrize("bad", ["abc", None, True, [], -1, "1.001", float("nan"), float("inf")])
def test_amounts_that_are_not_money_are_invalid(bad: object) -> None:
    with pytest.raises(InvalidInput):
        Money.from_major(bad, "CNY")


def test_the_servers_price_is_the_price() -> None:
    price = Money(8800, "CNY")
    ensure_amount_matches(88, price)
    ensure_amount_matches("88.00", price)
    ensure_amount_matches(None, price)  # the client may leave it out
    with pytest.raises(AmountMismatch):
        ensure_amount_matches(1, price)


def test_a_share_rounds_half_up_to_a_whole_minor_unit() -> None:
    assert Money(8801, "CNY").share(50) == Money(4401, "CNY")
    assert Money(9999, "CNY").share(100) == Money(9999, "CNY")
