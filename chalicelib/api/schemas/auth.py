"""Signing in: with WeChat's code, or (the local stage) as a role."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from chalicelib.api.schemas.base import Done, Model


class WeChatLogin(Model):
    code: str = Field(min_length=1, max_length=128, description="wx.login's code")


class DevLogin(Model):
    role: Literal["customer", "staff", "admin"]
    name: str | None = Field(default=None, max_length=100)


class User(Model):
    id: str
    role: Literal["customer", "staff", "admin"]
    name: str


class SignedIn(Done):
    token: str
    user: User
