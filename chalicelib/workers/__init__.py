"""Event handlers: the SQS consumer and the scheduled jobs, the same code on Lambda and locally."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

from chalicelib.observability import logger, masked_failures


@masked_failures
def partial_batch(event: dict[str, Any], handle: Callable[[Any], Any], kind: EventType, context: Any) -> dict[str, Any]:
    """Each failed record goes back in `batchItemFailures` and is logged once, masked, with its traceback.

    Never raised, even when every record failed: the raised BatchProcessingError carried each record's
    exception text to the Lambda runtime's own log, past the masking, on every redelivery."""
    failures = logging.getLogger(logger.name)  # the Powertools logger's own, with its masking filter
    processor = BatchProcessor(kind, raise_on_entire_batch_failure=False, logger=failures)
    return dict(process_partial_response(event=event, record_handler=handle, processor=processor, context=context))
