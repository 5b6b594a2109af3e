"""An HTTP answer as a client reads it: status, lower-cased headers, the body, its JSON decoded on demand.
Shared by the smoke test's HTTP client (scripts/smoke.py) and the bench's in-process Lambda calls (bench/harness.py).
Standard library only, so the smoke test can run against a deployed API from any checkout."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)
