"""The Lambda deployment zip: small, complete, and free of tests, dev tools and boto3."""

from __future__ import annotations

import ast
import re
import sys
import zipfile
from pathlib import Path

from infra import build

ROOT = Path(__file__).resolve().parents[2]
MAX_ZIP_BYTES = 20_000_000  # Lambda takes 50 MB zipped; staying far below keeps cold starts short
LAMBDA_PROVIDES = {"boto3", "botocore"}
LAMBDA_GLIBC = (2, 26)  # the python3.11 runtime runs on Amazon Linux 2
LEGACY_MANYLINUX = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}


def names(packaged: Path) -> list[str]:
    with zipfile.ZipFile(packaged / "deployment.zip") as archive:
        return archive.namelist()


def imported_top_level(path: Path) -> set[str]:
    """Every absolute import in the file, including the lazy ones inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_zip_is_small(packaged: Path) -> None:
    size = (packaged / "deployment.zip").stat().st_size
    print(f"deployment.zip: {size / 1_000_000:.1f} MB")
    assert size < MAX_ZIP_BYTES


def test_zip_holds_no_tests_dev_tools_or_boto3(packaged: Path) -> None:
    assert build.zip_problems(packaged / "deployment.zip") == []
    tops = {name.split("/")[0] for name in names(packaged)}
    assert not tops & {
        "boto3",
        "botocore",
        "moto",
        "tests",
        "pytest",
        "scripts",
        "devstack",
        "infra",
        "frontend",
        ".chalice",
    }


def test_zip_holds_the_whole_app(packaged: Path) -> None:
    inside = set(names(packaged))
    for path in [ROOT / "app.py", *(ROOT / "chalicelib").rglob("*.py")]:
        assert path.relative_to(ROOT).as_posix() in inside


def test_every_module_the_app_imports_is_in_the_zip_or_the_runtime(packaged: Path) -> None:
    """A module imported (even lazily) but missing from requirements.txt works in the dev venv and
    fails only on Lambda; catch it here."""
    tops = {name.split("/")[0].removesuffix(".py") for name in names(packaged)}
    missing: dict[str, set[str]] = {}
    for path in [ROOT / "app.py", *(ROOT / "chalicelib").rglob("*.py")]:
        for module in imported_top_level(path) - tops - LAMBDA_PROVIDES - sys.stdlib_module_names:
            missing.setdefault(module, set()).add(path.relative_to(ROOT).as_posix())
    assert not missing, f"imported but not packaged (add to requirements.txt): {missing}"


def glibc_of(platform: str) -> tuple[int, int] | None:
    """manylinux2014_x86_64 -> (2, 17); manylinux_2_28_x86_64 -> (2, 28); anything else -> None."""
    if not platform.endswith("_x86_64"):
        return None
    modern = re.fullmatch(r"manylinux_(\d+)_(\d+)_x86_64", platform)
    if modern:
        return int(modern[1]), int(modern[2])
    return LEGACY_MANYLINUX.get(platform.removesuffix("_x86_64"))


def runs_on_lambda(tag: str) -> bool:
    python, abi, platform = tag.split("-")
    glibc = glibc_of(platform)
    return python == "cp311" and abi in ("cp311", "abi3") and glibc is not None and glibc <= LAMBDA_GLIBC


def test_native_wheels_in_the_zip_are_built_for_lambda(packaged: Path) -> None:
    with zipfile.ZipFile(packaged / "deployment.zip") as archive:
        wheels = {n: archive.read(n).decode() for n in archive.namelist() if n.endswith(".dist-info/WHEEL")}
    native = {name: text for name, text in wheels.items() if "Root-Is-Purelib: false" in text}
    assert native  # pydantic_core at least
    for name, text in native.items():
        tags = re.findall(r"^Tag: (\S+)$", text, re.MULTILINE)
        assert any(runs_on_lambda(tag) for tag in tags), f"{name}: {tags}"


def test_packaging_needs_only_the_wheelhouse(packaged: Path) -> None:
    """Chalice's pip ran with --no-index against build/wheelhouse; the pinned requirements resolve
    from it alone for Lambda's platform, so the next package needs no network."""
    with build.one_at_a_time():  # another worker may be packaging (and filling the wheelhouse) now
        assert build.download_wheels(build.LAMBDA_PLATFORM, offline=True).returncode == 0
