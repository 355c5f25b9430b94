"""The log check's own patterns: what counts as a phone number or an email in a log line."""

from __future__ import annotations

import logging

from tests.personal_data import LogTap, found_in


def test_phones_in_any_common_form_and_emails_are_found() -> None:
    line = "call 13800138000, +86 138 0013 8000 or +8613800138000; write to a.b+c@mail.example.com"

    assert found_in(line) == ["13800138000", "+86 138 0013 8000", "+8613800138000", "a.b+c@mail.example.com"]


def test_ids_times_and_amounts_are_not_taken_for_phones() -> None:
    line = "a_01JD5 at 2026-11-23T10:00:00+08:00, 1763905200000 ms, total 13800138.00, key k13800138000"
    line += ', "correlation_id":"14741963659c4c25a4291dc37487fc23"'  # a request id that starts with 11 digits

    assert found_in(line) == []


def test_the_tap_sees_what_a_library_logs() -> None:
    library = logging.getLogger("some.library")
    library.propagate = False  # kept away from the suite's own check, which would fail this test
    tap = LogTap()
    library.addHandler(tap)
    try:
        library.warning("retrying for %s", "13800138000")
    finally:
        library.removeHandler(tap)

    assert [found_in(line) for line in tap.lines] == [["13800138000"]]
