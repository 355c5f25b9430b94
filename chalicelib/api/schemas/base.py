"""The bases of the contract's models, and the bodies every route may answer: an error, or plain success."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

HHMM = r"^\d{2}:\d{2}$"


class Model(BaseModel):
    model_config = ConfigDict(extra="allow")


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ErrorDetail(Model):
    code: str = Field(examples=["SLOT_TAKEN"])
    message: str
    fields: dict[str, str] = Field(description="The fields at fault, each with what is wrong with it.")


class ErrorBody(Model):
    success: Literal[False]
    error: ErrorDetail


class Done(Model):
    success: Literal[True]
