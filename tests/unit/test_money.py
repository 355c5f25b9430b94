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


@pytest.mark.parametrize(
    "extreme", ["1e999999", "1E+999999999999999999", "1e-999999", "1e-99999999999", "1.00000000000000000000000000001"]
)
def test_amounts_with_extreme_exponents_or_digits_are_invalid_not_an_arithmetic_error(extreme: str) -> None:
    with pytest.raises(InvalidInput):
        Money.from_major(extreme, "CNY")


def test_an_amount_may_be_a_billion_and_no_more() -> None:
    assert Money.from_major("1e9", "CNY") == Money(100_000_000_000, "CNY")
    with pytest.raises(InvalidInput, match="at most"):
        Money.from_major("1000000000.01", "CNY")


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
