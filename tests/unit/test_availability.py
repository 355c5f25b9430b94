from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from chalicelib.domain.availability import Busy, Rules, free_slots, offered_slot
from chalicelib.domain.catalogue import BusinessSettings, Service
from chalicelib.domain.hours import WorkingHours
from chalicelib.domain.money import Money
from chalicelib.domain.occupancy import Hold, Taken

SHANGHAI = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
HOURS = WorkingHours.from_dict(
    {
        "weekly": {d: [{"start": "09:00", "end": "18:00"}] for d in ("mon", "tue", "wed", "thu", "fri", "sat")},
        "breaks": [{"start": "12:00", "end": "13:00"}],
    }
)
CUT = Service("cut", "Haircut", 45, Money(8800, "CNY"))
COLOUR = Service("colour", "Colour", 90, Money(39900, "CNY"), requires_payment=True)
WEDNESDAY = date(2026, 12, 2)
NOTHING_TAKEN = Taken()
NOTHING = Busy(NOTHING_TAKEN)
MONDAY_MORNING = datetime(2026, 11, 30, 9, 0, tzinfo=SHANGHAI).astimezone(UTC)


def starts(day: date, service: Service, rules: Rules, busy: Taken = NOTHING_TAKEN) -> list[str]:
    zone = rules.settings.zone
    return [f"{s.start.astimezone(zone):%H:%M}" for s in free_slots(day, HOURS, service, rules, Busy(busy))]


def rules(now: datetime = MONDAY_MORNING, **settings: object) -> Rules:
    return Rules(BusinessSettings(**settings), now)  # type: ignore[arg-type]


def busy_for(start: datetime, minutes: int) -> Taken:
    return Taken((Hold(start, start + timedelta(minutes=minutes), "APPT#other"),))


def test_slots_step_by_the_interval_and_fit_before_the_break_and_the_close() -> None:
    assert starts(WEDNESDAY, CUT, rules()) == [
        "09:00",
        "09:30",
        "10:00",
        "10:30",
        "11:00",
        "13:00",
        "13:30",
        "14:00",
        "14:30",
        "15:00",
        "15:30",
        "16:00",
        "16:30",
        "17:00",
    ]


def test_the_interval_is_independent_of_the_duration() -> None:
    assert starts(WEDNESDAY, COLOUR, rules(slot_interval=15))[:3] == ["09:00", "09:15", "09:30"]
    assert "10:30" in starts(WEDNESDAY, COLOUR, rules())
    assert "10:45" not in starts(WEDNESDAY, COLOUR, rules())  # would run into the break


def test_sunday_is_closed_and_an_empty_override_closes_a_working_day() -> None:
    assert starts(date(2026, 12, 6), CUT, rules()) == []
    holiday = WorkingHours(HOURS.weekly, HOURS.breaks, {WEDNESDAY: ()})
    assert free_slots(WEDNESDAY, holiday, CUT, rules(), NOTHING) == []


def test_an_override_states_the_days_exact_hours() -> None:
    short_day = WorkingHours.from_dict(
        {**HOURS.to_dict(), "overrides": {"2026-12-02": [{"start": "10:00", "end": "12:00"}]}}
    )
    slots = free_slots(WEDNESDAY, short_day, CUT, rules(), NOTHING)
    assert [f"{s.start.astimezone(SHANGHAI):%H:%M}" for s in slots] == ["10:00", "10:30", "11:00"]


def test_minimum_notice_hides_times_too_soon_and_the_past() -> None:
    now = datetime(2026, 12, 2, 10, 10, tzinfo=SHANGHAI).astimezone(UTC)
    assert starts(WEDNESDAY, CUT, rules(now))[0] == "13:00"  # 12:10 is the earliest start with 2 h notice
    assert starts(WEDNESDAY, CUT, rules(now, min_notice_minutes=0))[0] == "10:30"


def test_the_booking_window_ends_after_max_days_ahead() -> None:
    assert starts(MONDAY_MORNING.date() + timedelta(days=60), CUT, rules()) != []
    assert starts(MONDAY_MORNING.date() + timedelta(days=61), CUT, rules()) == []
    assert starts(date(2026, 11, 29), CUT, rules()) == []  # yesterday


def test_a_booking_hides_every_start_whose_time_overlaps_it_whatever_the_durations() -> None:
    ten = datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI).astimezone(UTC)
    offered = starts(WEDNESDAY, CUT, rules(), busy_for(ten, 60))
    assert offered[:2] == ["09:00", "11:00"]  # 09:30 would run to 10:15; 10:00 and 10:30 overlap


def test_buffers_keep_room_before_and_after_each_booking() -> None:
    ten = datetime(2026, 12, 2, 10, 0, tzinfo=SHANGHAI).astimezone(UTC)
    held = busy_for(ten - timedelta(minutes=15), 75)  # a 10:00-10:45 booking with 15 min each side
    assert starts(WEDNESDAY, CUT, rules(), held)[:2] == ["09:00", "11:00"]
    # With buffers a new booking needs its own 15 min on each side: 09:00 and 11:00 now touch it.
    assert starts(WEDNESDAY, CUT, rules(buffer_before=15, buffer_after=15), held)[:2] == ["13:00", "13:30"]


def test_offered_slot_ignores_occupancy_but_not_the_hours() -> None:
    assert offered_slot(WEDNESDAY, 10 * 60, HOURS, CUT, rules()) is not None
    assert offered_slot(WEDNESDAY, 12 * 60, HOURS, CUT, rules()) is None  # the break
    assert offered_slot(WEDNESDAY, 10 * 60 + 15, HOURS, CUT, rules()) is None  # not on the interval
    assert offered_slot(WEDNESDAY, 17 * 60 + 30, HOURS, CUT, rules()) is None  # runs past 18:00


NIGHT_SHIFT = WorkingHours.from_dict({"weekly": {"sun": [{"start": "00:00", "end": "06:00"}]}})
HOUR = Service("hour", "One hour", 60, Money(100, "EUR"))


def berlin_slots(day: date) -> list[str]:
    berlin_rules = Rules(
        BusinessSettings(timezone="Europe/Berlin", min_notice_minutes=0, max_days_ahead=400),
        datetime(2027, 3, 1, tzinfo=UTC),
    )
    return [
        f"{s.start.astimezone(BERLIN):%H:%M%z}-{s.end.astimezone(BERLIN):%H:%M%z}"
        for s in free_slots(day, NIGHT_SHIFT, HOUR, berlin_rules, NOTHING)
    ]


def test_spring_forward_skips_the_missing_hour_and_keeps_real_durations() -> None:
    slots = berlin_slots(date(2027, 3, 28))
    assert "01:30+0100-03:30+0200" in slots  # 60 real minutes across the jump
    assert not any(s.startswith(("02:00", "02:30")) for s in slots)  # 02:xx does not exist that night
    assert slots[-1] == "05:00+0200-06:00+0200"


def test_fall_back_offers_the_repeated_hour_once_and_counts_real_minutes() -> None:
    slots = berlin_slots(date(2027, 10, 31))
    assert [s for s in slots if s.startswith("02:00")] == ["02:00+0200-02:00+0100"]
    assert slots[-1] == "05:00+0100-06:00+0100"


def test_wall_clock_hours_map_to_different_instants_across_a_change() -> None:
    weekday_hours = WorkingHours.from_dict({"weekly": {"mon": [{"start": "09:00", "end": "10:00"}]}})
    at = datetime(2027, 3, 1, tzinfo=UTC)
    berlin = Rules(BusinessSettings(timezone="Europe/Berlin", min_notice_minutes=0, max_days_ahead=400), at)
    winter = free_slots(date(2027, 3, 22), weekday_hours, HOUR, berlin, NOTHING)
    summer = free_slots(date(2027, 3, 29), weekday_hours, HOUR, berlin, NOTHING)
    assert winter[0].start == datetime(2027, 3, 22, 8, 0, tzinfo=UTC)
    assert summer[0].start == datetime(2027, 3, 29, 7, 0, tzinfo=UTC)


def test_dates_are_local_days_not_24_hour_steps() -> None:
    berlin = Rules(BusinessSettings(timezone="Europe/Berlin"), datetime(2027, 3, 27, 22, 30, tzinfo=UTC))
    assert berlin.days(3) == [date(2027, 3, 27), date(2027, 3, 28), date(2027, 3, 29)]


def test_a_long_service_may_run_on_past_midnight_only_into_hours_that_start_at_midnight() -> None:
    night = Service("night", "Night session", 720, Money(100, "CNY"))
    late = WorkingHours.from_dict(
        {"weekly": {"wed": [{"start": "09:00", "end": "24:00"}], "thu": [{"start": "00:00", "end": "10:00"}]}}
    )
    offered = [f"{s.start.astimezone(SHANGHAI):%H:%M}" for s in free_slots(WEDNESDAY, late, night, rules(), NOTHING)]
    assert offered[-1] == "22:00" and "09:00" in offered  # 22:00 ends at 10:00 on Thursday
    closed_at_midnight = WorkingHours.from_dict({"weekly": {"wed": [{"start": "09:00", "end": "24:00"}]}})
    assert free_slots(WEDNESDAY, closed_at_midnight, night, rules(), NOTHING)[-1].start.astimezone(SHANGHAI).hour == 12
