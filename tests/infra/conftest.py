"""One `chalice package` per test session (a few seconds), shared by the template and zip tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from infra import build


@pytest.fixture(scope="session")
def packaged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("package") / "prod"
    try:
        return build.package("prod", out)
    except build.BuildError as exc:
        pytest.fail(str(exc))


@pytest.fixture(scope="session")
def template(packaged: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads((packaged / "sam.json").read_text())
    return loaded


@pytest.fixture(scope="session")
def resources(template: dict[str, Any]) -> dict[str, Any]:
    found: dict[str, Any] = template["Resources"]
    return found


@pytest.fixture(scope="session")
def emails(resources: dict[str, Any]) -> dict[str, Any]:
    """The stream consumer's function resource; its tests skip (saying why) if the app has none."""
    if "SendBookingEmails" not in resources:
        pytest.skip("app.py has no send_booking_emails stream consumer, so the template has no email function")
    found: dict[str, Any] = resources["SendBookingEmails"]
    return found
