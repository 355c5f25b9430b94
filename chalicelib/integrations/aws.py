"""The one place boto3 clients are made: lazily (boto3 costs ~370 ms to import) and once per service and region."""

from __future__ import annotations

from functools import lru_cache
from typing import Any


@lru_cache(maxsize=16)
def client(service: str, region: str) -> Any:
    """A botocore client; AWS_ENDPOINT_URL (the local stack's moto) is honoured by boto3 itself."""
    import boto3

    return boto3.client(service, region_name=region)
