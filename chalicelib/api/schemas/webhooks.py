"""Outbound webhooks: subscriptions, their secrets, and their delivery logs (admins only)."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.api.schemas.base import Done, Model, Strict

EVENT_TYPES = (
    "appointment.created, appointment.confirmed, appointment.rescheduled, appointment.cancelled, "
    "appointment.completed, appointment.no_show, payment.succeeded, payment.refunded, fee.waived, "
    "waitlist.offered, waitlist.accepted"
)


class WebhookSubscriptionRequest(Strict):
    url: str = Field(
        examples=["https://crm.example.com/hooks/slotbook"],
        description="https only when deployed; never a private, loopback or link-local address.",
    )
    types: list[str] = Field(min_length=1, description=f"The event types to receive: {EVENT_TYPES}.")
    description: str | None = Field(default=None, max_length=200)


class WebhookSubscriptionChange(Strict):
    url: str | None = None
    types: list[str] | None = None
    description: str | None = Field(default=None, max_length=200)
    active: bool | None = Field(default=None, description="false pauses it; true resumes it and sends what waited.")


class WebhookRotation(Strict):
    overlapHours: int | None = Field(
        default=24, ge=0, le=168, description="How long the old secret signs too (both signatures are sent)."
    )


class WebhookSubscription(Model):
    id: str
    url: str
    types: list[str]
    description: str
    active: bool
    state: Literal["active", "paused"]
    pausedReason: str | None
    pausedAt: str | None
    failingSince: str | None = Field(description="The first failed delivery since the last one that succeeded.")
    secretsSigning: int = Field(description="2 during a rotation's overlap.")
    previousSecretUntil: str | None
    createdAt: str | None


class WebhookSubscriptionAnswer(Done):
    subscription: WebhookSubscription


class WebhookSecretAnswer(Done):
    subscription: WebhookSubscription
    secret: str = Field(
        examples=["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"],
        description="Shown this once: verify each delivery's webhook-signature with it (Standard Webhooks).",
    )


class WebhookSubscriptions(Model):
    subscriptions: list[WebhookSubscription]
    eventTypes: list[str]


class WebhookDelivery(Model):
    id: str = Field(description="The event's id: the webhook-id header, the same on every try and replay.")
    eventType: str
    appointmentId: str
    sequence: int = Field(description="The appointment's version after the change: order and dedupe by it.")
    eventAt: str | None
    status: Literal["pending", "delivered", "failed"]
    attempts: int = Field(description="Tries since the last replay.")
    replays: int
    nextAttemptAt: str | None
    lastStatusCode: int | None = Field(description="The receiver's answer; 0: no answer (timeout, refused).")
    lastLatencyMs: int | None
    lastError: str | None
    deliveredAt: str | None


class WebhookDeliveries(Model):
    deliveries: list[WebhookDelivery] = Field(description="Newest event first.")
    nextCursor: str | None


class WebhookDeliveryAnswer(Done):
    delivery: WebhookDelivery
