from datetime import UTC, datetime, timedelta

import pytest

from chalicelib.domain.errors import CancellationWindowClosed, IllegalTransition
from chalicelib.domain.policy import ensure_before_cutoff
from chalicelib.domain.status import Status, ensure_open, ensure_transition

LEGAL = {
    (Status.PENDING, Status.CONFIRMED),
    (Status.PENDING, Status.CANCELLED),
    (Status.PENDING, Status.COMPLETED),
    (Status.PENDING, Status.NO_SHOW),
    (Status.CONFIRMED, Status.COMPLETED),
    (Status.CONFIRMED, Status.CANCELLED),
    (Status.CONFIRMED, Status.NO_SHOW),
}


@pytest.mark.parametrize("current", list(Status))
@pytest.mark.parametrize("target", list(Status))
def test_only_the_second_seeds_transitions_are_allowed(current: Status, target: Status) -> None:
    if (current, target) in LEGAL:
        ensure_transition(current, target)
    else:
        with pytest.raises(IllegalTransition):
            ensure_transition(current, target)


def test_final_statuses_cannot_be_moved_in_time() -> None:
    for status in (Status.COMPLETED, Status.CANCELLED, Status.NO_SHOW):
        with pytest.raises(IllegalTransition):
            ensure_open(status)
    ensure_open(Status.PENDING)
    ensure_open(Status.CONFIRMED)


def test_the_no_show_status_is_spelled_as_the_seed_compares_it() -> None:
    assert Status.NO_SHOW.value == "no-show"


def test_customers_may_change_only_more_than_the_cutoff_ahead() -> None:
    now = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
    ensure_before_cutoff(now + timedelta(hours=24, minutes=1), now, 24)
    with pytest.raises(CancellationWindowClosed):
        ensure_before_cutoff(now + timedelta(hours=24), now, 24)
    with pytest.raises(CancellationWindowClosed):
        ensure_before_cutoff(now - timedelta(hours=1), now, 24)
