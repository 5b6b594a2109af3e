"""Availability rules as the admin API takes them: one valid rule, and changes that each make it invalid
with the field the refusal names. Used by the model's unit tests and the route's integration tests."""

from __future__ import annotations

from typing import Any

RULE: dict[str, Any] = {
    "weekly": {"mon": [{"start": "09:00", "end": "12:00"}], "wed": [{"start": "14:00", "end": "16:00"}]},
    "overrides": [{"date": "2026-03-25", "intervals": []}],
    "bufferMinutes": 0,
    "horizonDays": 14,
}

# (what replaces RULE's keys, the field named in the refusal)
BAD_CHANGES: list[tuple[dict[str, Any], str]] = [
    ({"weekly": {"mon": [{"start": "9:00", "end": "12:00"}]}}, "weekly.mon.0.start"),
    ({"weekly": {"mon": [{"start": "09:00", "end": "25:00"}]}}, "weekly.mon.0.end"),
    ({"weekly": {"mon": [{"start": "12:00", "end": "09:00"}]}}, "weekly.mon.0"),
    ({"weekly": {"mon": [{"start": "09:00", "end": "11:00"}, {"start": "10:00", "end": "12:00"}]}}, "weekly.mon"),
    ({"weekly": {"funday": []}}, "weekly"),
    ({"weekly": {}, "horizonDays": 0}, "horizonDays"),
    ({"weekly": {}, "horizonDays": 181}, "horizonDays"),
    ({"weekly": {}, "bufferMinutes": -5}, "bufferMinutes"),
    ({"weekly": {}, "bufferMinutes": 241}, "bufferMinutes"),
    ({"weekly": {}, "overrides": [{"date": "2026-12-24", "intervals": []}] * 2}, "overrides"),
    ({"weekly": {}, "overrides": [{"date": "24/12/2026", "intervals": []}]}, "overrides.0.date"),
    ({"extra": 1}, "extra"),
]
