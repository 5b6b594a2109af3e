"""Layering rules from STYLE.md, checked on the source: they fail when someone breaks them."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from chalice.app import Blueprint, CORSConfig, Response

from chalicelib.config import ConfigError, Settings
from chalicelib.models import EmailOnly
from chalicelib.routing import Routes

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


ROUTE_FILES = [ROOT / "app.py", *sorted((ROOT / "chalicelib" / "views").glob("*.py"))]


@pytest.mark.parametrize("path", ROUTE_FILES, ids=lambda p: p.name)
def test_routes_never_touch_boto3(path: Path) -> None:
    assert not imported_modules(path) & {"boto3", "botocore"}


def imported_paths(path: Path) -> set[str]:
    """Every dotted module a file imports, whole (chalicelib.db.items, not chalicelib)."""
    tree = ast.parse(path.read_text())
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    return names


SERVICE_BANS = ("boto3", "botocore", "chalice", "chalicelib.db", "chalicelib.aws", "chalicelib.mail", "chalicelib.http")


@pytest.mark.parametrize("path", sorted((ROOT / "chalicelib" / "services").glob("*.py")), ids=lambda p: p.name)
def test_services_use_no_storage_aws_mail_or_web_framework(path: Path) -> None:
    """Services get their stores, renderers and senders passed in (Protocols): issue 11."""
    banned = {name for name in imported_paths(path) if any(name == b or name.startswith(b + ".") for b in SERVICE_BANS)}
    assert not banned, f"{path.name} imports {sorted(banned)}"


def test_every_route_is_declared() -> None:
    """A route registered with @app.route directly would miss the declaration that documents it, parses
    its input and guards it: every served method and path must come from chalicelib.routing."""
    import app as app_module

    served = {(method.lower(), path) for path, methods in app_module.app.routes.items() for method in methods}
    declared = {(op.method, op.path) for op in app_module.operations}
    assert served == declared
    for path in ROUTE_FILES:
        assert ".route(" not in path.read_text(), f"{path.name} registers a route without its declaration"


def test_no_scan_in_application_code() -> None:
    for path in [ROOT / "app.py", *(ROOT / "chalicelib").rglob("*.py")]:
        assert '"scan"' not in path.read_text().lower(), path


def test_settings_fail_fast_on_bad_values() -> None:
    with pytest.raises(ConfigError, match="MIN_NOTICE_MINUTES"):
        Settings.from_env({"MIN_NOTICE_MINUTES": "soon"})
    with pytest.raises(ConfigError, match="CATALOG_TTL_SECONDS"):
        Settings.from_env({"CATALOG_TTL_SECONDS": "600"})  # the cache may never exceed 60 s
    assert Settings.from_env({}).min_notice_minutes == 60


def test_a_route_without_a_summary_is_refused_at_import() -> None:
    """The view's docstring is the operation's summary in /openapi.json: a route without one never registers."""
    routes = Routes(Blueprint("probe"), CORSConfig(), check_admin=lambda headers: None, client_grant=lambda h: None)

    with pytest.raises(TypeError, match="GET /probe: the view needs a docstring"):

        @routes.get("/probe", {200: None})
        def undocumented() -> Response:
            return Response(body="")

    @routes.post("/probe/documented", {200: None})
    def documented(body: EmailOnly) -> Response:
        """A probe,
        over two lines."""
        return Response(body="")

    [op] = routes.operations
    assert (op.path, op.summary, op.body, op.query) == (
        "/probe/documented",
        "A probe, over two lines.",
        EmailOnly,
        None,
    )
    assert {400, 413, 415} <= set(op.responses)  # a body implies them
