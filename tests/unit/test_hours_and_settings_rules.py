"""Hours as a merge, closures, and what a change of clock or currency needs first: rules without I/O."""

from __future__ import annotations

from datetime import date

import pytest

from chalicelib.domain.catalogue import BusinessSettings, Service
from chalicelib.domain.closures import Closure
from chalicelib.domain.errors import InvalidInput, SettingsInUse
from chalicelib.domain.hours import WorkingHours
from chalicelib.domain.money import Money
from chalicelib.domain.settings_change import ensure_safe_change, repriced

NINE_TO_FIVE = WorkingHours.from_dict(
    {"weekly": [{"start": "09:00", "end": "17:00"}], "breaks": [{"start": "12:00", "end": "13:00"}]}
)
MONDAY = date(2027, 3, 1)
CUT = Service("svc-cut", "Haircut", 45, Money(8800, "CNY"))


def test_a_change_of_overrides_only_keeps_the_weekly_hours_and_breaks() -> None:
    changed = NINE_TO_FIVE.merged({"overrides": {"2027-03-01": []}})
    assert (changed.weekly, changed.breaks) == (NINE_TO_FIVE.weekly, NINE_TO_FIVE.breaks)
    assert changed.open_spans(MONDAY) == () and changed.open_spans(date(2027, 3, 2)) != ()


def test_a_null_override_drops_that_day_and_leaves_the_others() -> None:
    two_days = NINE_TO_FIVE.merged({"overrides": {"2027-03-01": [], "2027-03-02": []}})
    assert set(two_days.merged({"overrides": {"2027-03-01": None}}).overrides) == {date(2027, 3, 2)}


def test_an_unknown_field_is_refused_rather_than_ignored() -> None:
    with pytest.raises(InvalidInput, match="weekley"):
        NINE_TO_FIVE.merged({"weekley": {}})


def test_a_closure_closes_the_day_whatever_the_hours_say() -> None:
    opened = NINE_TO_FIVE.merged({"overrides": {"2027-03-01": [{"start": "08:00", "end": "20:00"}]}})
    assert opened.closed_on([MONDAY]).open_spans(MONDAY) == ()


def test_closures_are_for_today_on_at_most_two_years_ahead_and_fit_one_transaction() -> None:
    assert Closure.plan({MONDAY}, "Holiday", MONDAY, 10) == [Closure(MONDAY, "Holiday")]
    for days, room in (({date(2027, 2, 28)}, 10), ({date(2030, 1, 1)}, 10), (set(), 10), ({MONDAY}, 0)):
        with pytest.raises(InvalidInput):
            Closure.plan(days, "", MONDAY, room)


def test_the_clock_or_currency_cannot_change_under_open_appointments() -> None:
    before = BusinessSettings()
    with pytest.raises(SettingsInUse, match="cancel or complete the 3 open appointments first"):
        ensure_safe_change(before, BusinessSettings(timezone="Europe/Berlin"), 3)
    ensure_safe_change(before, BusinessSettings(timezone="Europe/Berlin"), 0)
    ensure_safe_change(before, BusinessSettings(name="Renamed"), 3)


def test_a_new_currency_needs_a_new_price_for_every_active_service() -> None:
    before, after = BusinessSettings(), BusinessSettings(currency="USD")
    with pytest.raises(SettingsInUse, match="reprice"):
        repriced(before, after, [CUT], {})
    assert repriced(before, after, [CUT], {"svc-cut": "12.50"}) == [
        Service("svc-cut", "Haircut", 45, Money(1250, "USD"))
    ]
    with pytest.raises(InvalidInput):
        repriced(before, before, [CUT], {"svc-cut": 1})
