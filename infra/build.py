"""`make package`: the stack's CloudFormation template and the Lambda zip, from pinned requirements.

    python -m infra.build [--stage prod] [--out build/prod]

1. Lambda-compatible wheels for requirements.txt are kept in build/wheelhouse; PyPI is asked only
   for wheels missing there. Chalice's pip then runs with --no-index against that folder, so once
   the wheelhouse is filled (or copied in) packaging needs no network at all.
2. `chalice package` runs once unmerged, to see what Chalice generates (routes, functions, events).
3. infra/template.py turns that into the merge template; `chalice package --merge-template` writes
   <out>/sam.json and <out>/deployment.zip.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import shutil
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from infra.template import merge_template

ROOT = Path(__file__).resolve().parent.parent
WHEELHOUSE = ROOT / "build" / "wheelhouse"
LOCK = ROOT / "build" / "package.lock"
LAMBDA_PLATFORM = ["--platform", "manylinux2014_x86_64", "--implementation", "cp", "--python-version", "3.11"]
# Never in the zip: the Lambda runtime provides boto3, and tests or dev tools have no business there.
FORBIDDEN_IN_ZIP = ("boto3/", "botocore/", "moto/", "tests/", "scripts/", "devstack/", "infra/", "frontend/", "pytest/")
# Settings that change what Chalice bakes into the template; the merge template sets them instead.
PACKAGING_ONLY_ENV = ("CORS_ORIGIN", "TABLE_STREAM_ARN")


class BuildError(RuntimeError):
    pass


def download_wheels(extra: list[str], offline: bool) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--quiet"]
    args += ["-r", str(ROOT / "requirements.txt"), "--dest", str(WHEELHOUSE), "--only-binary=:all:", *extra]
    if offline:
        args += ["--no-index", "--find-links", str(WHEELHOUSE)]
    return subprocess.run(args, capture_output=True, text=True, check=False)


def fill_wheelhouse() -> None:
    """Wheels for this machine (chalice's first pip pass) and for Lambda (manylinux, CPython 3.11)."""
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    for target in ([], LAMBDA_PLATFORM):
        if download_wheels(target, offline=True).returncode == 0:
            continue
        print(f"Fetching wheels from PyPI into {WHEELHOUSE.relative_to(ROOT)} ...", flush=True)
        fetched = download_wheels(target, offline=False)
        if fetched.returncode != 0:
            raise BuildError(
                "Could not get the pinned wheels (needs PyPI once, or a filled build/wheelhouse):\n" + fetched.stderr
            )


def _chalice(stage: str, out: Path, merge: Path | None = None) -> None:
    env = {key: value for key, value in os.environ.items() if key not in PACKAGING_ONLY_ENV}
    env.update(PIP_NO_INDEX="1", PIP_FIND_LINKS=str(WHEELHOUSE), PIP_DISABLE_PIP_VERSION_CHECK="1")
    env.setdefault("AWS_DEFAULT_REGION", "us-east-1")  # chalice insists on one; the template uses AWS::Region
    shutil.rmtree(out, ignore_errors=True)
    args = [str(Path(sys.executable).parent / "chalice"), "--project-dir", str(ROOT), "package", "--stage", stage]
    if merge is not None:
        args += ["--merge-template", str(merge)]
    done = subprocess.run([*args, str(out)], capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if done.returncode != 0:
        raise BuildError(f"chalice package failed:\n{done.stdout}{done.stderr}")


def zip_problems(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    problems = [f"{name} should not be deployed" for name in names if name.startswith(FORBIDDEN_IN_ZIP)]
    for needed in ("app.py", "chalicelib/__init__.py", "chalice/app.py"):
        if needed not in names:
            problems.append(f"{needed} is missing")
    return problems


@contextmanager
def one_at_a_time() -> Iterator[None]:
    """Packagings share build/wheelhouse and Chalice's cache of dependency zips (.chalice/deployments, which
    Chalice reuses if the file exists, while another packaging may still be writing it), so two at once
    (two test workers, or `make package` beside a test run) take turns."""
    LOCK.parent.mkdir(parents=True, exist_ok=True)
    with LOCK.open("a") as held:
        fcntl.flock(held, fcntl.LOCK_EX)  # released when the file is closed, or the process ends
        yield


def package(stage: str, out: Path) -> Path:
    """Build <out>/sam.json and <out>/deployment.zip; returns <out>."""
    with one_at_a_time():
        fill_wheelhouse()
        raw = out.with_name(out.name + "-unmerged")
        _chalice(stage, raw)
        generated = json.loads((raw / "sam.json").read_text())
        shutil.rmtree(raw)
        merge = out.with_name(out.name + "-merge.json")
        merge.write_text(json.dumps(merge_template(stage, generated), indent=2) + "\n")
        _chalice(stage, out, merge)
    problems = zip_problems(out / "deployment.zip")
    if problems:
        raise BuildError("deployment.zip: " + "; ".join(problems))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--stage", default="prod", choices=["dev", "prod"])
    parser.add_argument("--out", type=Path, help="default: build/<stage>")
    args = parser.parse_args()
    out = (args.out or ROOT / "build" / args.stage).resolve()
    try:
        package(args.stage, out)
    except BuildError as exc:
        sys.exit(str(exc))
    size = (out / "deployment.zip").stat().st_size
    print(f"{out / 'sam.json'}\n{out / 'deployment.zip'} ({size / 1_000_000:.1f} MB)")


if __name__ == "__main__":
    main()
