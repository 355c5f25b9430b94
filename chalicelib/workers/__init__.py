"""Event handlers: the SQS consumer and the scheduled jobs, the same code on Lambda and locally."""
