"""Booking overhead: `POST /appointments/book` through the app against the very AWS calls it makes, made directly.

Each booking goes through the app's routes (Chalice's test client, in process) while its AWS calls are
recorded; then a plain boto3 client makes the same calls, with the same parameters, against a twin table
on the same moto server. The twin starts as a copy of the app's table and receives exactly the writes the
app's table received, so every Query reads the same items and every condition passes as it did.
"""

from __future__ import annotations

import json
import statistics
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from scripts import bench_calls

TWIN_SUFFIX = "-bench-direct"


@dataclass(frozen=True)
class Overhead:
    bookings: int
    app_ms: float  # median per booking, through the app
    dynamodb_ms: float  # median per booking, its DynamoDB calls made directly
    others_ms: float  # median per booking, its other AWS calls (the confirmation put on SQS) made directly
    calls: Counter[str]  # DynamoDB calls of one booking
    others: Counter[str]

    @property
    def ratio(self) -> float:
        return self.app_ms / self.dynamodb_ms

    @property
    def all_calls_ratio(self) -> float:
        return self.app_ms / (self.dynamodb_ms + self.others_ms)


def twin_table(client: Any, table: str) -> str:
    """A table declared as `table` is (keys, indexes, stream), holding a copy of its items."""
    described = client.describe_table(TableName=table)["Table"]
    twin = table + TWIN_SUFFIX
    indexes = [
        {"IndexName": i["IndexName"], "KeySchema": i["KeySchema"], "Projection": i["Projection"]}
        for i in described.get("GlobalSecondaryIndexes", [])
    ]
    client.create_table(
        TableName=twin,
        KeySchema=described["KeySchema"],
        AttributeDefinitions=described["AttributeDefinitions"],
        GlobalSecondaryIndexes=indexes,
        BillingMode="PAY_PER_REQUEST",
        StreamSpecification=described.get("StreamSpecification") or {"StreamEnabled": False},
    )
    for page in client.get_paginator("scan").paginate(TableName=table):
        items = page["Items"]
        for first in range(0, len(items), 25):
            puts = [{"PutRequest": {"Item": item}} for item in items[first : first + 25]]
            client.batch_write_item(RequestItems={twin: puts})
    return twin


def _retargeted(value: Any, table: str, twin: str) -> Any:
    if isinstance(value, dict):
        return {k: twin if k == "TableName" and v == table else _retargeted(v, table, twin) for k, v in value.items()}
    if isinstance(value, list):
        return [_retargeted(v, table, twin) for v in value]
    return value


def _openings(first: date, zone: Any) -> Iterator[tuple[str, date, str]]:
    """Staff, day and time of free consultations (30 min) with the demo business's staff, from `first` on."""
    day = first
    while True:
        if day.weekday() != 6:
            for staff in ("staff-wang", "staff-chen"):
                for hour in (9, 10, 11, 13, 14, 15, 16, 17):
                    yield staff, day, f"{hour:02d}:00"
        day += timedelta(days=1)


def measure(store: Any, now: datetime, bookings: int, root: Path) -> Overhead:
    import boto3
    from botocore import xform_name
    from botocore.client import BaseClient
    from chalice.test import Client

    import app
    from chalicelib.config import get_settings
    from chalicelib.domain.actor import Role
    from chalicelib.services.identity import dev_login
    from scripts import demo_data

    settings = get_settings()
    clients: dict[str, BaseClient] = {
        "dynamodb": boto3.client("dynamodb", region_name=settings.region),
        "sqs": boto3.client("sqs", region_name=settings.region),
    }
    twin = twin_table(clients["dynamodb"], settings.table_name)
    zone = demo_data.SETTINGS.zone
    openings = _openings((now + timedelta(days=5)).astimezone(zone).date(), zone)
    through_app, dynamodb, others = [], [], []
    counted: Counter[str] = Counter()
    other_calls: Counter[str] = Counter()
    with Client(app.app, stage_name="local", project_dir=str(root)) as client:
        for n in range(bookings):
            token, _ = dev_login(settings, Role.CUSTOMER, f"Overhead Customer {n}")
            staff, day, time_slot = next(openings)
            body = {
                "serviceId": "svc-consult",
                "staffId": staff,
                "date": day.isoformat(),
                "timeSlot": time_slot,
                "customerInfo": {"name": f"Overhead Customer {n}", "phone": f"1380013{n:04d}"},
            }
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            with bench_calls.recording() as calls:
                started = time.perf_counter()
                answer = client.http.post("/appointments/book", headers=headers, body=json.dumps(body).encode())
                through_app.append((time.perf_counter() - started) * 1000)
            assert answer.status_code == 201, (answer.status_code, answer.body)
            spent = {"dynamodb": 0.0, "others": 0.0}
            for call in calls:
                if call.operation == "GetQueueUrl":
                    continue  # the app asks once per process, not per booking
                method = getattr(clients[call.service], xform_name(call.operation))
                params = _retargeted(call.params, settings.table_name, twin)
                started = time.perf_counter()
                method(**params)
                spent["dynamodb" if call.service == "dynamodb" else "others"] += (time.perf_counter() - started) * 1000
            dynamodb.append(spent["dynamodb"])
            others.append(spent["others"])
            counted = bench_calls.dynamodb(calls)
            other_calls = Counter(
                c.operation for c in calls if c.service != "dynamodb" and c.operation != "GetQueueUrl"
            )
    clients["dynamodb"].delete_table(TableName=twin)
    return Overhead(
        bookings,
        statistics.median(through_app),
        statistics.median(dynamodb),
        statistics.median(others),
        counted,
        other_calls,
    )
