"""Cold start: `python -X importtime -c "import app"`, the first request in a fresh process, and the
deployment package that `chalice package` builds."""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Any

from devstack.local_stack import ROOT

IMPORT_LINE = re.compile(r"^import time:\s+(\d+) \|\s+(\d+) \|(\s*)(\S+)$")

# Runs in a fresh interpreter: time the import, then two GET slots requests (the first one pays
# for boto3, the client, the connection and the cold catalog), the way Lambda would.
FIRST_REQUEST = """
import json, sys, time
started = time.perf_counter()
import app
imported = time.perf_counter()
from chalice.local import LambdaContext, LambdaEventConverter, RouteMatcher
event = LambdaEventConverter(RouteMatcher(list(app.app.routes))).create_lambda_event(
    "GET", "/experts/" + sys.argv[1] + "/slots", {}, None)
context = LambdaContext("api_handler", 512)
first = app.app(event, context)
answered = time.perf_counter()
second = app.app(event, context)
again = time.perf_counter()
assert first["statusCode"] == second["statusCode"] == 200, first
print(json.dumps({"import": imported - started, "first": answered - imported, "second": again - answered}))
"""


def import_time(env: dict[str, str]) -> tuple[float, list[tuple[str, float]]]:
    """Total cumulative import time of `app` in milliseconds, and the heaviest top-level imports."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", "import app"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    total, heavy = 0.0, []
    for line in result.stderr.splitlines():
        match = IMPORT_LINE.match(line)
        if not match:
            continue
        cumulative, depth, name = int(match.group(2)), len(match.group(3)), match.group(4)
        if depth == 1 and name == "app":
            total = cumulative / 1000
        elif depth <= 3:
            heavy.append((name, cumulative / 1000))
    return total, sorted(heavy, key=lambda pair: -pair[1])[:6]


def first_request(env: dict[str, str], expert_id: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", FIRST_REQUEST, expert_id], env=env, cwd=ROOT, capture_output=True, text=True, check=True
    )
    times: dict[str, float] = json.loads(result.stdout.strip().splitlines()[-1])
    return {k: v * 1000 for k, v in times.items()}


def package_size() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "AWS_DEFAULT_REGION": os.environ.get("AWS_DEFAULT_REGION", "us-east-1")}
        chalice = str(Path(sys.executable).with_name("chalice"))
        subprocess.run([chalice, "package", out], env=env, cwd=ROOT, check=True, capture_output=True)
        archive = Path(out) / "deployment.zip"
        with zipfile.ZipFile(archive) as opened:
            files = opened.infolist()
            by_top: dict[str, int] = {}
            for info in files:
                top = info.filename.split("/")[0]
                top = top.split("-")[0] if top.endswith(".dist-info") else top
                by_top[top] = by_top.get(top, 0) + info.file_size
        return {
            "zip_bytes": archive.stat().st_size,
            "unzipped_bytes": sum(i.file_size for i in files),
            "files": len(files),
            "largest": sorted(by_top.items(), key=lambda kv: -kv[1])[:5],
        }


def run(quick: bool, moto_env: dict[str, str], expert_id: str) -> dict[str, Any]:
    runs = 3 if quick else 7
    plain = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    plain.update(PYTHONPATH=str(ROOT), AWS_DEFAULT_REGION="us-east-1")
    imports = [import_time(plain) for _ in range(runs)]
    firsts = [first_request({**os.environ, **moto_env}, expert_id) for _ in range(runs)]
    return {
        "runs": runs,
        "import_ms": statistics.median(total for total, _ in imports),
        "heaviest": imports[-1][1],
        "first": {key: statistics.median(f[key] for f in firsts) for key in ("import", "first", "second")},
        "package": package_size(),
    }
