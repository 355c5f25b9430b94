from datetime import UTC, date, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from chalicelib.domain.occupancy import CalendarDay, Hold, Taken, holdings

T0 = datetime(2026, 12, 1, 20, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_a_long_appointment_crossing_midnight_holds_two_days_whatever_its_length() -> None:
    held = holdings({"staff:li": [(at(0), at(12 * 60))]}, "APPT#a")  # 20:00 to 08:00 the next day, UTC
    assert held == {
        ("staff:li", date(2026, 12, 1)): [Hold(at(0), at(240), "APPT#a")],
        ("staff:li", date(2026, 12, 2)): [Hold(at(240), at(720), "APPT#a")],
    }


def test_only_someone_elses_overlapping_time_clashes() -> None:
    day = CalendarDay("staff:li", date(2026, 12, 1), (Hold(at(0), at(60), "APPT#a"),), revision=3)
    assert day.clash([Hold(at(30), at(90), "APPT#b")]) == Hold(at(0), at(60), "APPT#a")
    assert day.clash([Hold(at(60), at(90), "APPT#b")]) is None  # touching is not overlapping
    assert day.clash([Hold(at(30), at(90), "APPT#a")]) is None  # its own time, being moved


def test_replacing_an_owners_holds_keeps_everyone_elses() -> None:
    day = CalendarDay("staff:li", date(2026, 12, 1), (Hold(at(0), at(60), "APPT#a"), Hold(at(60), at(90), "BLOCK#b")))
    moved = day.with_holds("APPT#a", [Hold(at(120), at(180), "APPT#a")])
    assert moved.holds == (Hold(at(60), at(90), "BLOCK#b"), Hold(at(120), at(180), "APPT#a"))
    assert day.with_holds("APPT#a", []).holds == (Hold(at(60), at(90), "BLOCK#b"),)


intervals = st.lists(st.tuples(st.integers(0, 280), st.integers(5, 120)), max_size=12)


@given(intervals, st.integers(0, 300), st.integers(5, 120))
def test_free_means_no_taken_interval_overlaps(taken: list[tuple[int, int]], start: int, length: int) -> None:
    holds: list[Hold] = []
    for first, minutes in taken:  # taken time on one calendar never overlaps
        hold = Hold(at(first), at(first + minutes), f"APPT#{first}")
        if not any(h.overlaps(hold.start, hold.end) for h in holds):
            holds.append(hold)
    expected = not any(h.overlaps(at(start), at(start + length)) for h in holds)
    assert Taken(tuple(holds)).is_free(at(start), at(start + length)) is expected
