"""Slotbook: appointment booking for service businesses."""
