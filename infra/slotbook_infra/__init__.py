"""Slotbook's AWS deployment as a CDK app: the table, queues, secret, role, the Chalice app, alarms."""
