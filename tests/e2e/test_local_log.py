"""The local stack's own request log keeps what a client searched for out of it."""

from __future__ import annotations

from tests.e2e.conftest import running_stack
from tests.e2e.http import call

PHONE = "13900139000"


def test_a_search_by_phone_or_a_number_in_a_path_is_logged_without_the_number() -> None:
    with running_stack("phone_search_stack.log", {"SWEEP_SECONDS": "3600"}) as stack:
        status, body = call(stack.url, "GET", f"/customers?phone={PHONE}", token=stack.staff_token)
        assert status == 200 and body == {"customers": []}, body
        for typed in (f"+86{PHONE}", f"%2B86{PHONE}", "wu%40example.com"):
            status, _ = call(stack.url, "GET", f"/customers/{typed}", token=stack.staff_token)
            assert status == 404

    log = stack.log.read_text()
    assert '"GET /customers HTTP/1.1" 200' in log
    assert PHONE not in log and "wu@example.com" not in log and "wu%40example.com" not in log
