from datetime import UTC, datetime, timedelta

from chalicelib.domain.segments import Segment, staff_time

T = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T + timedelta(minutes=minutes)


def test_the_staff_member_is_free_while_a_colour_processes_and_busy_for_the_buffers() -> None:
    colour = (Segment(30), Segment(45, staff_free=True), Segment(30))
    assert staff_time(T, 105, colour, 10, 15) == [(at(-10), at(30)), (at(75), at(120))]


def test_without_segments_the_staff_member_is_busy_throughout() -> None:
    assert staff_time(T, 60, (), 0, 5) == [(at(0), at(65))]


def test_a_service_that_ends_processing_frees_its_staff_member_before_the_end_buffer() -> None:
    soak = (Segment(20), Segment(40, staff_free=True))
    assert staff_time(T, 60, soak, 0, 10) == [(at(0), at(20)), (at(60), at(70))]
