"""The local stack: DynamoDB Local (table + stream), moto_server (Cognito, SES, SSM, S3), table + seed
data, `chalice local`, the stream worker (emails, catalog snapshot), and the SPA.

    python -m devstack.local_stack            # what `make run` does; Ctrl-C / SIGTERM stops all
Tests use LocalStack directly on free ports (devstack/ports.py). Every process started here is stopped by PID.

Start-up waits on progress, not on a clock: each wait lasts as long as the process it waits for is
alive (and fails at once when it exits), capped at START_CAP_SECONDS only as a last resort, so a
loaded machine is slow to start rather than failing (issue 10).
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from devstack.ports import HOST, free_port

ROOT = Path(__file__).resolve().parent.parent


START_CAP_SECONDS = 600.0
# Seconds the stack's processes give DynamoDB Local and moto to answer a call (chalicelib/aws.py; 2 on AWS).
LOCAL_READ_TIMEOUT_SECONDS = "10"


def wait_until(ready: Callable[[], bool], what: str, process: subprocess.Popen[bytes] | None = None) -> None:
    """Poll `ready` while `process` (when given) is alive; fail at once if it exits, or after the cap."""
    deadline = time.monotonic() + START_CAP_SECONDS
    while not ready():
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"{what} exited with code {process.returncode} before it was ready")
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} was not ready after {START_CAP_SECONDS:.0f}s")
        time.sleep(0.1)


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except OSError:
        return False


def wait_for(url: str, process: subprocess.Popen[bytes] | None = None) -> None:
    """Until `url` answers (any status below 400), while `process` lives."""
    wait_until(lambda: answers(url), url, process)


@dataclass
class LocalStack:
    moto_port: int
    api_port: int
    web_port: int | None = None
    table_name: str = "ExpertBooking"
    seed: bool = True
    quiet: bool = False
    # DynamoDB Local keeps the table in memory, or on disk under this folder (make run PERSIST=1).
    persist_dir: Path | None = None
    dynamodb_port: int | None = None  # a free port when None
    # Settings for the stack's processes on top of this process's environment (which is left alone).
    overrides: dict[str, str] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)
    processes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    dynamodb_process: subprocess.Popen[bytes] | None = None

    @property
    def dynamodb_url(self) -> str:
        """DynamoDB Local: the table and its stream (AWS_ENDPOINT_URL_DYNAMODB[_STREAMS])."""
        return f"http://{HOST}:{self.dynamodb_port}"

    @property
    def moto_url(self) -> str:
        return f"http://{HOST}:{self.moto_port}"

    @property
    def api_url(self) -> str:
        return f"http://{HOST}:{self.api_port}"

    def start(self) -> LocalStack:
        web = f"http://{HOST}:{self.web_port}" if self.web_port else "http://127.0.0.1:8080"
        self.dynamodb_port = self.dynamodb_port or free_port()
        self.env = {
            **os.environ,
            "APP_BASE_URL": web,
            "AWS_ENDPOINT_URL": self.moto_url,  # Cognito, SES, SSM, S3 (the catalog snapshot)
            "AWS_ENDPOINT_URL_DYNAMODB": self.dynamodb_url,
            "AWS_ENDPOINT_URL_DYNAMODB_STREAMS": self.dynamodb_url,
            "AWS_ACCESS_KEY_ID": "testing",
            "AWS_SECRET_ACCESS_KEY": "testing",
            "AWS_DEFAULT_REGION": "us-east-1",
            "TABLE_NAME": self.table_name,
            "CLIENT_TOKEN_SECRET": os.environ.get("CLIENT_TOKEN_SECRET") or secrets.token_urlsafe(32),
            "ADMIN_USERNAME": os.environ.get("ADMIN_USERNAME") or "admin",
            "ADMIN_PASSWORD": os.environ.get("ADMIN_PASSWORD") or f"Adm-{secrets.token_urlsafe(12)}-1a",
            "SES_SENDER": os.environ.get("SES_SENDER") or "bookings@example.com",
            "CATALOG_BUCKET": os.environ.get("CATALOG_BUCKET") or "expert-booking-catalog",
            "PYTHONPATH": str(ROOT),
            # JSON log lines as on Lambda; no EMF metric lines in the console (CloudWatch reads those).
            "LOG_JSON": "1",
            "POWERTOOLS_METRICS_DISABLED": "true",
            # DynamoDB Local and moto answer slowly on a busy machine; AWS answers within the 2 s of chalicelib/aws.py.
            "AWS_READ_TIMEOUT_SECONDS": LOCAL_READ_TIMEOUT_SECONDS,
            **self.overrides,
        }
        try:
            from devstack import dynamodb_local

            # The JVM and moto start side by side; each wait below lasts as long as its process lives.
            self.dynamodb_process = dynamodb_local.start(
                self.dynamodb_port, data_dir=str(self.persist_dir) if self.persist_dir else None
            )
            self.processes.append(self.dynamodb_process)
            moto = self._spawn(
                [sys.executable, str(ROOT / "devstack" / "serve_moto.py"), HOST, str(self.moto_port)], chatty=False
            )
            dynamodb_local.wait_until_ready(self.dynamodb_port, self.dynamodb_process)
            self._say(f"DynamoDB Local keeps the data {f'in {self.persist_dir}' if self.persist_dir else 'in memory'}")
            wait_for(f"{self.moto_url}/moto-api/", moto)
            self._provision()
            api = self._spawn([sys.executable, str(ROOT / "devstack" / "serve_api.py"), HOST, str(self.api_port)])
            wait_for(f"{self.api_url}/health/ready", api)
            self._start_stream_worker()
            if self.web_port is not None:
                web_root = ROOT / "frontend" / "dist"
                if not (web_root / "index.html").exists():
                    web_root = ROOT / "frontend" / "placeholder"
                args = [HOST, str(self.web_port), str(web_root), self.api_url]
                web = self._spawn([sys.executable, str(ROOT / "devstack" / "serve_web.py"), *args])
                wait_for(f"http://{HOST}:{self.web_port}/", web)
        except BaseException:
            self.stop()
            raise
        return self

    def _start_stream_worker(self) -> None:
        """Start the email worker and wait until it has fixed its place in the stream, so that
        nothing written after start() returns is missed."""
        with tempfile.TemporaryDirectory() as folder:
            ready = Path(folder) / "ready"
            worker = self._spawn(
                [sys.executable, str(ROOT / "devstack" / "stream_worker.py")], STREAM_WORKER_READY_FILE=str(ready)
            )
            wait_until(ready.exists, "the stream worker", worker)

    def _provision(self) -> None:
        """Table, Cognito pool + admin, SES sender, seed; merges the resulting settings into env."""
        out = subprocess.run(
            [sys.executable, "-m", "devstack.provision", self.table_name, "1" if self.seed else "0"],
            env=self.env,
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if out.returncode != 0:
            raise RuntimeError(f"provisioning failed (exit code {out.returncode}):\n{out.stderr[-4000:]}")
        self._say(out.stderr.strip())
        self.env.update(json.loads(out.stdout))

    def _spawn(self, args: list[str], chatty: bool = True, **extra_env: str) -> subprocess.Popen[bytes]:
        sink = subprocess.DEVNULL if self.quiet or not chatty else None
        process = subprocess.Popen(args, env={**self.env, **extra_env}, cwd=ROOT, stdout=sink, stderr=sink)
        self.processes.append(process)
        return process

    def stop(self) -> None:
        for process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        for process in reversed(self.processes):
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes.clear()
        self.dynamodb_process = None

    def _say(self, text: str) -> None:
        if not self.quiet:
            print(text, flush=True)


def main() -> None:
    stack = LocalStack(
        moto_port=int(os.environ.get("MOTO_PORT", "5000")),
        api_port=int(os.environ.get("API_PORT", "8000")),
        web_port=int(os.environ.get("WEB_PORT", "8080")),
        persist_dir=ROOT / ".data" / "dynamodb" if os.environ.get("PERSIST") else None,
    )

    def shutdown(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, shutdown)
    try:
        stack.start()
        print(
            f"\n  Web app:  http://{HOST}:{stack.web_port}\n  API:      {stack.api_url}\n"
            f"  DynamoDB: {stack.dynamodb_url}  (DynamoDB Local, {'on disk' if stack.persist_dir else 'in memory'})\n"
            f"  moto:     {stack.moto_url}  (sent emails: {stack.moto_url}/_local/ses/sent)\n"
            f"  Admin:    {stack.env['ADMIN_USERNAME']} / {stack.env['ADMIN_PASSWORD']}\n"
            "  Ctrl-C stops everything.\n",
            flush=True,
        )
        while all(p.poll() is None for p in stack.processes):
            time.sleep(0.5)
        print("a local process exited; stopping the stack", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
