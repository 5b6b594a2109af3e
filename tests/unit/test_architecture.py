"""Layering rules from STYLE.md, checked on the source: they fail when someone breaks them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from chalicelib.config import ConfigError, Settings

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_routes_never_touch_boto3() -> None:
    assert not imported_modules(ROOT / "app.py") & {"boto3", "botocore"}


@pytest.mark.parametrize("path", sorted((ROOT / "chalicelib" / "services").glob("*.py")), ids=lambda p: p.name)
def test_services_import_neither_boto3_nor_chalice(path: Path) -> None:
    assert not imported_modules(path) & {"boto3", "botocore", "chalice"}


def test_no_scan_in_application_code() -> None:
    for path in [ROOT / "app.py", *(ROOT / "chalicelib").rglob("*.py")]:
        assert '"scan"' not in path.read_text().lower(), path


def test_settings_fail_fast_on_bad_values() -> None:
    with pytest.raises(ConfigError, match="MIN_NOTICE_MINUTES"):
        Settings.from_env({"MIN_NOTICE_MINUTES": "soon"})
    with pytest.raises(ConfigError, match="CATALOG_TTL_SECONDS"):
        Settings.from_env({"CATALOG_TTL_SECONDS": "600"})  # the cache may never exceed 60 s
    assert Settings.from_env({}).min_notice_minutes == 60
