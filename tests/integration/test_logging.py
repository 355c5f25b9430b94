from __future__ import annotations

import io
import json
import threading
from typing import Any

import pytest
from chalice.app import Request, Response

import app
from chalicelib.observability import HandlerFailed, http_middleware, logger, masked_failures
from tests.integration.conftest import Api, booking
from tests.integration.notices_helpers import event


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


def test_uuids_prefixed_ids_dates_and_amounts_are_not_taken_for_phones(log_lines: io.StringIO) -> None:
    kept = (
        "deadbeef-1234-5678-9abc-def012345678 12345678-1234-4123-8123-123456789012 evt_13800138000 "
        "on 2026-12-07 for 13800138.00"
    )
    logger.info(f"{kept}; text 13800138000, call-138 0013 8000 or PHONE#+8613800138000")

    line = json.loads(log_lines.getvalue().splitlines()[-1])

    assert line["message"] == f"{kept}; text [phone], call-[phone] or PHONE#[phone]"


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


def test_a_requests_id_tags_its_own_lines_not_those_of_a_thread_working_beside_it(log_lines: io.StringIO) -> None:
    inside, worker_logged = threading.Event(), threading.Event()

    def answer(request: Request) -> Response:
        inside.set()
        worker_logged.wait(timeout=10)
        logger.info("inside the request")
        return Response(body={}, status_code=200)

    def worker() -> None:
        inside.wait(timeout=10)
        logger.info("the worker, meanwhile")
        worker_logged.set()

    beside = threading.Thread(target=worker)
    beside.start()
    http_middleware(request({"requestId": "request-1", "resourcePath": "/x"}), answer)
    beside.join()

    lines = {line["message"]: line for line in map(json.loads, log_lines.getvalue().splitlines())}
    assert lines["inside the request"]["correlation_id"] == lines["request"]["correlation_id"] == "request-1"
    assert "correlation_id" not in lines["the worker, meanwhile"]
    logger.info("after the request")
    assert "correlation_id" not in json.loads(log_lines.getvalue().splitlines()[-1])


def request(context: dict[str, Any]) -> Request:
    """An API Gateway event as Lambda hands it to Chalice."""
    event = {"multiValueQueryStringParameters": None, "headers": {}, "pathParameters": None, "body": None,
             "requestContext": {"httpMethod": "GET", **context}, "stageVariables": None}  # fmt: skip
    return Request(event)


def test_an_exception_is_logged_with_its_text_and_traceback_masked_and_ids_whole(log_lines: io.StringIO) -> None:
    message_id = "4fe7db5c-549b-42f3-b2e9-13800138000f"
    try:
        raise ValueError(f"bad message {message_id} for 13800138000 and alice@example.com")
    except ValueError:
        logger.exception("could not handle", extra={"message_id": message_id})

    line = json.loads(log_lines.getvalue().splitlines()[-1])

    assert "13800138000 " not in log_lines.getvalue() and "alice@example.com" not in log_lines.getvalue()
    assert line["exception_name"] == "ValueError"
    assert line["exception"].startswith("Traceback (most recent call last):")
    assert line["exception"].endswith(f"ValueError: bad message {message_id} for [phone] and [email]")
    assert line["message_id"] == message_id


def test_a_bad_queue_message_holding_a_phone_and_an_email_fails_alone_and_is_logged_masked_once(
    log_lines: io.StringIO, api: Api
) -> None:
    body = json.dumps({"kind": "text 13800138000 or write to alice@example.com", "id": "m1", "appointmentId": "a1"})
    messages = [{"MessageId": "bad-1", "ReceiptHandle": "r1", "Body": body}]

    answer = app.deliver_notices(event(messages), None)  # the whole batch failed: still an answer, not a raise

    assert answer == {"batchItemFailures": [{"itemIdentifier": "bad-1"}]}
    out = log_lines.getvalue()
    assert "13800138000" not in out and "alice@example.com" not in out
    failures = [line for line in map(json.loads, out.splitlines()) if "exception" in line]
    assert len(failures) == 1 and "text [phone] or write to [email]" in failures[0]["exception"]


def test_a_failing_event_handler_logs_its_error_masked_and_hands_the_runtime_only_its_type(
    log_lines: io.StringIO,
) -> None:
    @masked_failures
    def sweep() -> None:
        raise KeyError("no appointment for 13800138000 <alice@example.com>")

    with pytest.raises(HandlerFailed) as raised:
        sweep()

    assert str(raised.value) == "sweep failed with KeyError; see the log"
    assert raised.value.__cause__ is None and raised.value.__suppress_context__  # the runtime prints no chain
    line = json.loads(log_lines.getvalue().splitlines()[-1])
    assert line["message"] == "sweep failed"
    assert line["exception"].endswith("KeyError: 'no appointment for [phone] <[email]>'")
