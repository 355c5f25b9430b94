from __future__ import annotations

import io
import json

from chalicelib.observability import logger
from tests.integration.conftest import Api, booking


def test_log_lines_are_json_with_phones_and_emails_masked(log_lines: io.StringIO) -> None:
    logger.info(
        "customer 13800138000 wrote from alice@example.com",
        extra={"customer": {"phone": "+86 138 0013 8000", "email": "bob@example.org"}},
    )
    line = json.loads(log_lines.getvalue().splitlines()[-1])
    assert line["message"] == "customer [phone] wrote from [email]"
    assert line["customer"] == {"phone": "[phone]", "email": "[email]"}


def test_ids_that_hold_a_run_of_digits_are_logged_whole(log_lines: io.StringIO) -> None:
    ids = {"message_id": "4fe7db5c-549b-42f3-b2e9-13800138000f", "correlation_id": "be13800138000e0b"}
    logger.info("notice delivered to 13800138000", extra=ids)

    line = json.loads(log_lines.getvalue().splitlines()[-1])

    assert line["message"] == "notice delivered to [phone]"
    assert (line["message_id"], line["correlation_id"]) == (ids["message_id"], ids["correlation_id"])


def test_a_booking_leaves_no_phone_or_email_in_the_logs_and_tags_the_request(
    api: Api, alice: str, log_lines: io.StringIO
) -> None:
    assert api.post("/appointments/book", booking(), alice).status == 201
    api.post("/appointments/book", booking(), alice)  # a 409 logs too
    out = log_lines.getvalue()
    assert "13800138000" not in out and "alice@example.com" not in out
    requests = [json.loads(line) for line in out.splitlines() if '"message":"request"' in line]
    assert [r["status"] for r in requests] == [201, 409]
    assert all(r["correlation_id"] for r in requests)
