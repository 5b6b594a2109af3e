"""Write the booking request's JSON schema (from the pydantic model) for the SPA's form rules.

    python -m scripts.export_schema        # rewrites frontend/src/lib/bookingRequest.schema.json
tests/unit/test_schema_export.py fails when the committed file differs from the model.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from chalicelib.openapi import document

TARGET = Path(__file__).resolve().parent.parent / "frontend" / "src" / "lib" / "bookingRequest.schema.json"


def booking_schema() -> dict[str, Any]:
    from app import routes  # the route declarations the document is built from

    schema: dict[str, Any] = document(routes.operations)["components"]["schemas"]["BookingRequest"]
    return schema


def render() -> str:
    return json.dumps(booking_schema(), indent=2, sort_keys=True) + "\n"


if __name__ == "__main__":
    TARGET.write_text(render())
    print(f"wrote {TARGET}")
