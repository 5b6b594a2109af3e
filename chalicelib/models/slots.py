"""Slot models: the slots query and view, and the admin's new slots."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import (
    AfterValidator,
    AwareDatetime,
    Field,
    field_validator,
)

from chalicelib import timeutil
from chalicelib.models.base import (
    IsoDate,
    UtcInstant,
    _in_calendar,
    _Model,
    _Out,
)
from chalicelib.services.slots import SlotReason


class SlotsQuery(_Model):
    from_: IsoDate | None = Field(default=None, alias="from")
    days: int = Field(default=14, ge=1, le=60)
    tz: str | None = Field(default=None, max_length=64)

    @field_validator("tz")
    @classmethod
    def _known_zone(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                timeutil.zone(value)
            except ValueError as exc:
                raise ValueError("Unknown time zone; use an IANA name such as Europe/London.") from exc
        return value


class SlotOut(_Out):
    start: UtcInstant
    end: UtcInstant
    available: bool
    reason: SlotReason | None = Field(
        default=None, description="Why an unavailable slot cannot be booked: taken, or inside the minimum notice."
    )


class SlotDayOut(_Out):
    date: date
    slots: list[SlotOut]


class SlotsOut(_Out):
    expert_id: str
    timezone: str
    days: list[SlotDayOut]


class NewSlot(_Model):
    start: Annotated[AwareDatetime, AfterValidator(_in_calendar)]


class SlotsCreate(_Model):
    slots: list[NewSlot] = Field(min_length=1, max_length=99)  # one transaction: 99 slots + a guard


class SlotsCreatedOut(_Out):
    created: int
    skipped: int
