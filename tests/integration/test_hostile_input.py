"""No 5xx from anything a client sends: hostile bodies, numbers, dates, cursors and ids are a 4xx that changes nothing.

The examples of issue 14 first, then a property test that walks every route of the app as every role.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import boto3
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import app
from chalicelib import tokens
from chalicelib.api import spec
from chalicelib.domain.actor import Role
from tests.conftest import LOCAL_ENV, working_day
from tests.integration.conftest import Answer, Api, booking, token_for

DAY = working_day().isoformat()
DEEP = "[" * 3000 + "]" * 3000  # 6 KB
FAR_DATES = ["0001-01-01", "9999-12-31", "1999-12-31", "2100-01-01"]
HUGE_NUMBERS = ["1e999999", "-1e999999", "1e400", "123456789012345678901234567890", "NaN", "Infinity"]


@functools.cache
def dynamodb(endpoint: str) -> Any:
    return boto3.client("dynamodb", endpoint_url=endpoint, region_name="us-east-1")


def table() -> list[str]:
    """Every item of the table, comparable: what a rejected request must leave exactly as it was."""
    items = []
    for page in (
        dynamodb(os.environ["AWS_ENDPOINT_URL"])
        .get_paginator("scan")
        .paginate(TableName=LOCAL_ENV["TABLE_NAME"], ConsistentRead=True)
    ):
        items += [json.dumps(item, sort_keys=True) for item in page["Items"]]
    return sorted(items)


def refused_and_unchanged(send: Callable[[], Answer], what: str = "", last: list[str] | None = None) -> Answer:
    """A 4xx, and the table item for item as it was: as read just before the request or, given `last`, as
    the previous request left it (nothing else writes in between), and `last` then holds it as this one did."""
    before = table() if last is None else list(last)
    answer = send()
    assert 400 <= answer.status < 500, (what, answer.status, answer.body)
    after = table()
    if last is not None:
        last[:] = after
    assert after == before, "a refused request changed the table"
    return answer


def cursor(key: dict[str, Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(key).encode()).decode()


@pytest.fixture
def admin() -> str:
    return token_for(Role.ADMIN, "Owner")


# -- the examples of the issue ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/auth/wechat", "/auth/dev-login", "/appointments/book", "/admin/services"])
def test_three_thousand_nested_brackets_are_a_400_on_public_and_signed_in_routes(
    api: Api, alice: str, admin: str, path: str
) -> None:
    token = {"/appointments/book": alice, "/admin/services": admin}.get(path)
    for body in (DEEP, '{"code": ' + DEEP + "}"):
        answer = refused_and_unchanged(lambda: api.call("POST", path, token=token, raw=body))  # noqa: B023
        assert answer.status == 400 and answer.body["error"]["code"] == "INVALID_INPUT"


def test_an_amount_or_a_price_of_1e999999_is_a_400_and_changes_nothing(api: Api, alice: str, admin: str) -> None:
    for amount in ("1e999999", "-1e999999", "1e-999999"):
        book = refused_and_unchanged(lambda: api.post("/appointments/book", booking(totalAmount=amount), alice))  # noqa: B023
        assert book.body["error"]["fields"] == {"amount": "out of range"} or "amount" in book.body["error"]["fields"]
        for path, method in (("/admin/services", "POST"), ("/admin/services/svc-cut", "PUT")):
            service = {"name": "Wash", "duration": 30, "price": amount}
            refused_and_unchanged(lambda: api.call(method, path, service, admin))  # noqa: B023
    raw = json.dumps(booking()).replace("88.0", "1e999999")
    refused_and_unchanged(lambda: api.call("POST", "/appointments/book", token=alice, raw=raw))


@pytest.mark.parametrize("far", ["0001-01-01", "9999-12-31"])
def test_dates_at_year_1_and_9999_are_a_400_on_every_route_that_takes_a_date(
    api: Api, alice: str, staff: str, far: str
) -> None:
    gets = [
        f"/appointments/staff/staff-li/schedule?startDate={far}",
        f"/appointments/staff/staff-li/schedule?startDate={DAY}&endDate={far}",
        f"/appointments/schedule/overview?date={far}",
        f"/appointments/schedule/conflicts?staffId=staff-li&timeSlot=10:00&date={far}",
        f"/appointments?date={far}",
    ]
    for path in gets:
        answer = refused_and_unchanged(lambda: api.get(path, staff))  # noqa: B023
        assert answer.status == 400, path
    slots = f"/appointments/availability/slots?serviceId=svc-cut&staffId=staff-li&date={far}"
    assert refused_and_unchanged(lambda: api.get(slots, alice)).status == 400
    posts: list[tuple[str, str, dict[str, Any], str]] = [
        (
            "POST",
            "/appointments/schedule/block",
            {"staffId": "staff-li", "date": far, "timeSlot": "10:00-11:00"},
            staff,
        ),
        ("POST", "/appointments/book", booking(date=far), alice),
        (
            "POST",
            "/appointments",
            {"staffId": "staff-li", "serviceId": "svc-cut", "scheduledAt": f"{far}T10:00:00", "customerId": "c1"},
            staff,
        ),
        (
            "PUT",
            "/appointments/staff/staff-li/availability",
            {"availability": {"weekly": {"mon": [{"start": "09:00", "end": "17:00"}]}, "overrides": {far: []}}},
            staff,
        ),
    ]
    for method, path, body, token in posts:
        answer = refused_and_unchanged(lambda: api.call(method, path, body, token))  # noqa: B023
        assert answer.status == 400, path


def test_a_hand_made_cursor_of_the_right_partition_with_missing_or_tampered_keys_is_a_400(
    api: Api, alice: str, staff: str
) -> None:
    mine = "CUSTOMER#" + tokens.verify(alice, LOCAL_ENV["JWT_SECRET"]).id
    lists = [
        ("/appointments/mine?scope=all", alice, "gsi1", mine),
        ("/appointments?scope=upcoming", staff, "gsi4", "OPEN"),
    ]
    for path, token, index, partition in lists:
        whole = {"pk": {"S": "APPT#a1"}, "sk": {"S": "APPT"}, f"{index}pk": {"S": partition}, f"{index}sk": {"S": "x"}}
        tampered: list[dict[str, Any]] = [
            {f"{index}pk": {"S": partition}},
            {k: v for k, v in whole.items() if k != "sk"},
            {**whole, "pk": "APPT#a1"},
            {**whole, "pk": None},
            {**whole, "sk": {"S": ""}},
            {**whole, "pk": {"N": "1"}},
            {**whole, "extra": {"S": "x"}},
        ]
        for key in tampered:
            answer = refused_and_unchanged(lambda: api.get(f"{path}&cursor={cursor(key)}", token))  # noqa: B023
            assert answer.status == 400 and answer.body["error"]["fields"] == {"cursor": "invalid"}, key
        assert api.get(f"{path}&cursor={cursor(whole)}", token).status == 200  # a well-formed key is a page


def test_ids_too_long_or_not_printable_are_a_400_before_they_reach_a_key(api: Api, alice: str, staff: str) -> None:
    for bad in ("a" * 129, "\N{CJK UNIFIED IDEOGRAPH-674E}" * 129, "\x7f"):
        assert refused_and_unchanged(lambda: api.get(f"/appointments/{bad}", alice)).status == 400  # noqa: B023
    for long in ("x" * 513, "\N{CJK UNIFIED IDEOGRAPH-674E}" * 171):
        query = urllib.parse.urlencode({"startDate": DAY, "staffId": long})
        path = f"/appointments/staff/staff-li/schedule?{query}"
        assert refused_and_unchanged(lambda: api.get(path, staff)).status == 400  # noqa: B023


# -- every route, every role, every hostile class ---------------------------------------------------

ROUTES = sorted((method, path) for path, methods in app.routes.items() for method in methods)
DOCS = {(route.method, route.path): route.doc for route in spec.declarations(app.routes)}
GOOD_FIELDS: dict[str, Any] = {
    "code": "wx-code",
    "role": "customer",
    "name": "Wash",
    "serviceId": "svc-cut",
    "staffId": "staff-li",
    "date": DAY,
    "timeSlot": "11:00",
    "customerInfo": {"name": "Alice Wong", "phone": "13800138000"},
    "totalAmount": 88.0,
    "reason": "no longer needed",
    "scheduledAt": f"{DAY}T11:00:00",
    "duration": 30,
    "availability": {"weekly": {"mon": [{"start": "09:00", "end": "18:00"}]}, "overrides": {DAY: []}},
    "preferences": {"channels": ["sms"]},
    "type": "24h",
    "reminderTimes": ["24h"],
    "amount": 88.0,
    "outcome": "succeed",
    "id": "evt_1",
    "price": 88.0,
    "slotInterval": 15,
    "serviceIds": ["svc-cut"],
}
DATE_FIELDS = {"date", "scheduledAt", "availability"}
AMOUNT_FIELDS = {"totalAmount", "amount", "price"}
QUERY_VALUES = {
    "serviceId": "svc-cut",
    "staffId": "staff-li",
    "date": DAY,
    "startDate": DAY,
    "endDate": DAY,
    "timeSlot": "10:00",
    "days": "7",
    "period": "30d",
}
LIST_SCOPES = {"/appointments/mine": "all", "/appointments": "upcoming"}
LONG_TEXT = ["x" * 513, "\N{CJK UNIFIED IDEOGRAPH-674E}" * 200]


@dataclass
class Hostile:
    method: str
    route: str
    path: str
    role: Role | None
    what: str
    query: dict[str, str] = field(default_factory=dict)
    raw: str | None = None


def fields_of(method: str, path: str) -> list[str]:
    name = DOCS[(method, path)].body
    return [] if name is None else list(spec.model(name).model_json_schema(by_alias=True).get("properties", {}))


def with_raw(body: dict[str, Any], name: str, literal: str) -> str:
    """The body as JSON text with one field's value replaced by a literal no json.dumps would write."""
    return json.dumps({**body, name: "\x00"}).replace('"\\u0000"', literal)


def bad_cursor(path: str, customer: str) -> st.SearchStrategy[str]:
    index, partition = ("gsi1", customer) if path == "/appointments/mine" else ("gsi4", "OPEN")
    whole = {"pk": {"S": "APPT#a1"}, "sk": {"S": "APPT"}, f"{index}pk": {"S": partition}, f"{index}sk": {"S": "k"}}
    tamper: st.SearchStrategy[Any] = st.sampled_from(
        [None, "x", {"S": ""}, {"S": 7}, {"N": "1"}, {"S": "a", "N": "1"}, {"M": {}}]
    )

    @st.composite
    def draw(pick: st.DrawFn) -> str:
        key: dict[str, Any] = dict(whole)
        name = pick(st.sampled_from([*whole, "gsi2pk"]))
        if name in key and pick(st.booleans()):
            del key[name]
        else:
            key[name] = pick(tamper)
        return cursor(key)

    return draw()


def hostile_query(draw: st.DrawFn, path: str, names: list[str], customer: str) -> tuple[str, str]:
    name = draw(st.sampled_from(names or ["anything"]))  # an undeclared value is bounded too
    if name in ("date", "startDate", "endDate"):
        return name, draw(st.sampled_from(FAR_DATES))
    if name == "cursor":
        return name, draw(bad_cursor(path, customer))
    if name == "days":
        return name, draw(st.sampled_from(["1e999999", "9" * 5000, "-1", "Infinity"]))
    return name, draw(st.sampled_from(LONG_TEXT))


def hostile_body(draw: st.DrawFn, body: dict[str, Any], fields: list[str]) -> tuple[str, str]:
    kinds = ["deep", "deep field", "number", "surrogate"]
    kinds += ["date"] if DATE_FIELDS & set(fields) else []
    kinds += ["amount"] if AMOUNT_FIELDS & set(fields) else []
    kind, target = draw(st.sampled_from(kinds)), draw(st.sampled_from(fields or ["anything"]))
    if kind == "deep":
        return kind, DEEP
    if kind == "deep field":
        return f"{kind} {target}", with_raw(body, target, DEEP)
    if kind == "number":
        return f"{kind} {target}", with_raw(body, target, draw(st.sampled_from(HUGE_NUMBERS)))
    if kind == "surrogate":
        return f"{kind} {target}", with_raw(body, target, '"\\ud800 and a lone surrogate"')
    if kind == "date":
        target, far = draw(st.sampled_from(sorted(DATE_FIELDS & set(fields)))), draw(st.sampled_from(FAR_DATES))
        value = {"date": far, "scheduledAt": f"{far}T10:00:00", "availability": {"overrides": {far: []}}}[target]
        return f"{kind} {target}", json.dumps({**body, target: value})
    target = draw(st.sampled_from(sorted(AMOUNT_FIELDS & set(fields))))
    amount = draw(st.sampled_from(["1e999999", "-1e999999", "1e-999999", "1E+99999999999999999999"]))
    return f"{kind} {target}", with_raw(body, target, draw(st.sampled_from([json.dumps(amount), amount])))


@st.composite
def hostile_requests(draw: st.DrawFn, ids: dict[str, str], customer: str) -> Hostile:
    """One route, one role, and one hostile value in its path, its query or its body; the rest is valid."""
    method, route = draw(st.sampled_from(ROUTES))
    op = DOCS[(method, route)]
    role = draw(st.sampled_from([Role.CUSTOMER, Role.STAFF, Role.ADMIN, None]))
    names = [part[1:-1] for part in route.split("/") if part.startswith("{")]
    queries = [p.name for p in op.params if p.where == "query"]
    fields = fields_of(method, route)
    query = {name: QUERY_VALUES[name] for name in queries if name in QUERY_VALUES}
    query |= {"scope": LIST_SCOPES[route]} if route in LIST_SCOPES else {}
    body = {name: GOOD_FIELDS[name] for name in fields if name in GOOD_FIELDS}
    path_ids = {name: ids[name] for name in names}
    raw = json.dumps(body) if op.body is not None else None
    place = draw(st.sampled_from(["path", "query", "body"] if names else ["query", "body"]))  # any route: a body too
    if place == "path":
        name = draw(st.sampled_from(names))
        path_ids[name] = draw(st.sampled_from(["a" * 129, "\N{CJK UNIFIED IDEOGRAPH-674E}" * 129, "x\x7fy"]))
        what = f"path {name}"
    elif place == "body":
        what, raw = hostile_body(draw, body, fields)
    else:
        name, query[name] = hostile_query(draw, route, queries, customer)
        what = f"query {name}={query[name][:12]!r}"
        if name == "cursor" and route == "/appointments/mine" and role is not None:
            role = Role.CUSTOMER  # staff have no list of their own there: the cursor is never read
    path = route
    for name, value in path_ids.items():
        path = path.replace("{" + name + "}", value)  # as API Gateway hands it over: decoded
    return Hostile(method, route, path, role, what, query, raw)


@pytest.fixture
def ids(api: Api, alice: str, staff: str) -> dict[str, str]:
    """Real ids for the path, so a hostile value elsewhere reaches the code behind them."""
    made = api.post("/appointments/book", booking(time="15:00"), alice).body["appointment"]["id"]
    blocked = api.post("/appointments/schedule/block", {"staffId": "staff-li", "date": DAY, "timeSlot": "17:00"}, staff)
    owner = token_for(Role.ADMIN, "Owner")
    room = api.post("/admin/resources", {"name": "Room 1", "type": "treatment room"}, owner).body["resource"]["id"]
    branch = api.post("/admin/locations", {"name": "Pudong"}, owner).body["location"]["id"]
    wish = {"serviceId": "svc-cut", "fromDate": DAY, "toDate": DAY, "fromTime": "09:00", "toTime": "12:00"}
    contact = {"name": "Alice Wong", "phone": "13800138000"}
    waiting = api.post("/waitlist", {**wish, "customerInfo": contact}, alice).body["entry"]["id"]
    hooks = {"url": "https://crm.example.com/hooks", "types": ["appointment.created"]}
    subscription = api.post("/webhooks", hooks, owner).body["subscription"]["id"]
    return {
        "entry_id": waiting,
        "subscription_id": subscription,
        "delivery_id": f"evt_{made}_1_appointment.created",
        "resource_id": room,
        "location_id": branch,
        "appointment_id": made,
        "staff_id": "staff-li",
        "service_id": "svc-cut",
        "customer_id": "me",
        "block_id": blocked.body["id"],
        "asset": "main.js",
        "day": DAY,
    }


def test_every_route_as_every_role_answers_hostile_input_with_a_4xx_and_changes_nothing(
    api: Api, alice: str, ids: dict[str, str]
) -> None:
    customer = "CUSTOMER#" + tokens.verify(alice, LOCAL_ENV["JWT_SECRET"]).id
    as_role = {Role.CUSTOMER: alice, Role.STAFF: token_for(Role.STAFF, "Desk"), Role.ADMIN: token_for(Role.ADMIN, "O")}
    tried: set[tuple[str, str]] = set()
    last = table()  # then one Scan an example, after its request: the one before is the previous one's

    @settings(
        max_examples=250,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(hostile_requests(ids, customer))
    def rejected(hostile: Hostile) -> None:
        url = hostile.path + ("?" + urllib.parse.urlencode(hostile.query) if hostile.query else "")
        token = as_role.get(hostile.role) if hostile.role else None
        answer = refused_and_unchanged(
            lambda: api.call(hostile.method, url, token=token, raw=hostile.raw), hostile.what, last
        )
        assert answer.body["success"] is False, hostile.what
        tried.add((hostile.method, hostile.route))

    rejected()
    assert len(tried) >= len(ROUTES) * 3 // 4  # the walk reached most routes, not a handful
