"""Notification preferences, explicit notices and reminder times."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.api.schemas.base import Done, Model


class Preferences(Model):
    sms: bool
    email: bool
    push: bool
    reminderTimes: list[str] = Field(examples=[["24h", "2h"]])
    locale: Literal["zh-CN", "en"]


class PreferencesAnswer(Model):
    preferences: Preferences


class PreferencesSaved(Done):
    preferences: Preferences


class PreferencesChange(Model):
    sms: bool | None = None
    email: bool | None = None
    push: bool | None = None
    reminderTimes: list[str] | None = Field(default=None, max_length=3, description='"5m" to "7d", at most 3')
    locale: Literal["zh-CN", "en"] | None = None


class PreferencesRequest(Model):
    preferences: PreferencesChange


class Queued(Done):
    queued: Literal[True]
    messageId: str = Field(description="The same id however often it is asked for: it is delivered once.")
    kind: str
    dueAt: str = Field(description="When it goes out: now, or a reminder's own time (never earlier).")


class ReminderRequest(Model):
    type: str | None = Field(
        default=None,
        max_length=8,
        examples=["24h"],
        description="One of the appointment's own reminder times ('1d' and '24h' are the same one); default 24h.",
    )


class CancellationNoticeRequest(Model):
    reason: str | None = Field(
        default=None, max_length=500, description="Accepted for the seed; never sent: the message is the business's."
    )


class RescheduleNoticeRequest(Model):
    newDateTime: str | None = Field(default=None, max_length=40)


class RemindersRequest(Model):
    reminderTimes: list[str] = Field(max_length=3, examples=[["24h", "2h"]])


class ScheduledReminder(Model):
    type: str
    dueAt: str | None


class RemindersAnswer(Done):
    reminderTimes: list[str]
    scheduled: list[ScheduledReminder]
