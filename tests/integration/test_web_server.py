"""devstack/serve_web.py answers as the production CloudFront distribution does (issue 14): the security
headers of the synthesized template's response headers policy, scripts/deploy.py's Cache-Control,
brotli/gzip by Accept-Encoding, ETags; and the production build ships no source maps. Its /api/* is in
tests/integration/test_edge_api.py."""

from __future__ import annotations

import gzip
import http.client
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import brotli
import pytest

from devstack.local_stack import HOST, ROOT, free_port, wait_for
from devstack.serve_web import SpaServer
from infra import build
from scripts import deploy

API_URL = "http://127.0.0.1:8123"
BUNDLE = ("export const greeting = 'hello';\n" * 200).encode()  # compressible, over CloudFront's 1,000 bytes
INDEX = b'<!doctype html><html><head><script type="module" src="/assets/app-3f9a2c.js"></script></head></html>'


@pytest.fixture(scope="module")
def root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dist")
    (folder / "assets").mkdir()
    (folder / "assets" / "app-3f9a2c.js").write_bytes(BUNDLE)
    (folder / "assets" / "tiny-1b2c3d.js").write_bytes(b"export {};\n")
    (folder / "index.html").write_bytes(INDEX)
    (folder / "big.bin").write_bytes(os.urandom(32 * 1024 * 1024))  # larger than any socket buffer
    (folder.parent / "secret.txt").write_text("outside the web root")
    return folder


@pytest.fixture(scope="module")
def port(root: Path) -> Iterator[int]:
    """The server as `make run` starts it: its own process, over HTTP."""
    number = free_port()
    args = [sys.executable, str(ROOT / "devstack" / "serve_web.py"), HOST, str(number), str(root), API_URL]
    process = subprocess.Popen(args, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        wait_for(f"http://{HOST}:{number}/index.html", process)
        yield number
    finally:
        process.terminate()
        process.wait(timeout=30)


def get(port: int, path: str, method: str = "GET", **headers: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(HOST, port, timeout=60)
    try:
        connection.request(method, path, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


@pytest.fixture(scope="module")
def site_policy(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The distribution's ResponseHeadersPolicyConfig from `chalice package`'s merged template."""
    try:
        template = json.loads((build.package("prod", tmp_path_factory.mktemp("package")) / "sam.json").read_text())
    except build.BuildError as exc:
        pytest.fail(str(exc))
    policies = [r for r in template["Resources"].values() if r["Type"] == "AWS::CloudFront::ResponseHeadersPolicy"]
    assert len(policies) == 1
    config: dict[str, Any] = policies[0]["Properties"]["ResponseHeadersPolicyConfig"]
    return config


# CloudFront's names for the security headers it sets (AWS::CloudFront::ResponseHeadersPolicy).
HEADER_NAMES = {
    "StrictTransportSecurity": "strict-transport-security",
    "ContentTypeOptions": "x-content-type-options",
    "FrameOptions": "x-frame-options",
    "ReferrerPolicy": "referrer-policy",
    "ContentSecurityPolicy": "content-security-policy",
    "XSSProtection": "x-xss-protection",
}
NOT_SECURITY = {"cache-control", "etag", "vary", "content-type", "content-length", "content-encoding", "date", "server"}


def directives(csp: str) -> dict[str, list[str]]:
    return {name: sources for name, *sources in (d.split() for d in csp.split(";") if d.strip())}


def test_security_headers_are_the_distributions(port: int, site_policy: dict[str, Any]) -> None:
    security = site_policy["SecurityHeadersConfig"]
    custom = {item["Header"].lower(): item["Value"] for item in site_policy["CustomHeadersConfig"]["Items"]}
    for path in ("/", "/experts/abc", "/assets/app-3f9a2c.js", "/config.js", "/assets/missing-000.js"):
        _, headers, _ = get(port, path)
        served = {name for name in headers if name not in NOT_SECURITY}
        assert served == {HEADER_NAMES[key] for key in security} | set(custom), path
        for name, value in custom.items():
            assert headers[name] == value
        hsts = security["StrictTransportSecurity"]
        assert headers["strict-transport-security"] == f"max-age={hsts['AccessControlMaxAgeSec']}; includeSubDomains"
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == security["FrameOptions"]["FrameOption"]
        assert headers["referrer-policy"] == security["ReferrerPolicy"]["ReferrerPolicy"]
        production = directives(security["ContentSecurityPolicy"]["ContentSecurityPolicy"]["Fn::Sub"])
        assert directives(headers["content-security-policy"]) == production
        assert production["connect-src"] == ["'self'"]  # the app calls the API on its own origin, under /api


def test_hashed_assets_are_immutable_and_everything_else_revalidates(port: int) -> None:
    assert get(port, "/assets/app-3f9a2c.js")[1]["cache-control"] == deploy.IMMUTABLE
    for path in ("/", "/index.html", "/experts/abc?x=1", "/config.js"):
        assert get(port, path)[1]["cache-control"] == deploy.REVALIDATE, path


def test_deep_links_get_the_app_and_missing_files_a_404(port: int) -> None:
    assert get(port, "/experts/abc")[0::2] == (200, INDEX)
    assert get(port, "/assets/missing-000.js")[0::2] == (404, INDEX)  # the distribution's custom error page
    for escape in ("/../secret.txt", "/assets/..%2f..%2fsecret.txt", "/%2e%2e/secret.txt"):
        status, _, body = get(port, escape)
        assert status == 404 and b"outside" not in body, escape
    status, headers, body = get(port, "/config.js")
    assert status == 200 and headers["content-type"].startswith("text/javascript")
    # What scripts/deploy.py writes when the API is behind the distribution (tests/infra/test_deploy.py).
    assert body == b'window.__APP_CONFIG__ = {"apiBaseUrl": "/api"};\n'
    assert API_URL.encode() not in body


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [("br", "br"), ("gzip, deflate, br, zstd", "br"), ("gzip", "gzip"), ("br;q=0, gzip", "gzip"), ("", None)],
)
def test_text_is_compressed_as_the_client_accepts(port: int, accept: str, encoding: str | None) -> None:
    status, headers, body = get(port, "/assets/app-3f9a2c.js", **{"Accept-Encoding": accept})
    assert status == 200 and headers["vary"] == "Accept-Encoding"
    assert headers.get("content-encoding") == encoding
    decode = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding]
    assert decode(body) == BUNDLE and int(headers["content-length"]) == len(body)
    if encoding:
        assert len(body) < len(BUNDLE) / 10


def test_small_or_binary_files_are_sent_as_they_are(port: int) -> None:
    _, headers, body = get(port, "/assets/tiny-1b2c3d.js", **{"Accept-Encoding": "br, gzip"})
    assert "content-encoding" not in headers and body == b"export {};\n"
    _, headers, _ = get(port, "/big.bin", "HEAD", **{"Accept-Encoding": "br, gzip"})
    assert "content-encoding" not in headers and headers["content-length"] == str(32 * 1024 * 1024)


def test_an_unchanged_file_is_a_304_for_its_own_encoding(port: int) -> None:
    bundle = "/assets/app-3f9a2c.js"
    _, first, _ = get(port, bundle, **{"Accept-Encoding": "br"})
    status, again, body = get(port, bundle, **{"Accept-Encoding": "br", "If-None-Match": first["etag"]})
    assert (status, body, again["etag"]) == (304, b"", first["etag"])
    assert again["cache-control"] == deploy.IMMUTABLE and "content-security-policy" in again
    # The gzip representation is another entity: its ETag differs, so the br one does not validate it.
    status, gzipped, body = get(port, bundle, **{"Accept-Encoding": "gzip", "If-None-Match": first["etag"]})
    assert status == 200 and gzipped["etag"] != first["etag"] and gzip.decompress(body) == BUNDLE


def test_a_client_that_hangs_up_mid_response_leaves_no_traceback(root: Path, capfd: pytest.CaptureFixture[str]) -> None:
    finished = threading.Event()

    class Server(SpaServer):
        def shutdown_request(self, request: Any) -> None:
            super().shutdown_request(request)
            finished.set()  # after handle_error, if the handler raised

    server = Server((HOST, 0), root, API_URL)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        with socket.create_connection((HOST, server.server_address[1]), timeout=60) as client:
            client.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
            assert client.recv(1024).startswith(b"HTTP/1.1 200")
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))  # close with a reset
        assert finished.wait(timeout=300)
        assert get(server.server_address[1], "/index.html")[0] == 200  # and it still serves
    finally:
        server.shutdown()
        server.server_close()
    assert "Traceback" not in capfd.readouterr().err


def test_the_production_build_has_no_source_maps(tmp_path: Path) -> None:
    npx = shutil.which("npx")
    assert npx, "node and npm are needed to build the SPA (make web-build)"
    out = tmp_path / "dist"
    done = subprocess.run(
        [npx, "vite", "build", "--outDir", str(out), "--emptyOutDir", "--logLevel", "error"],
        cwd=ROOT / "frontend",
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    files = [p for p in out.rglob("*") if p.is_file()]
    assert any(p.suffix == ".js" for p in files)
    assert not [p for p in files if p.suffix == ".map"]
    assert not [p for p in files if b"sourceMappingURL" in p.read_bytes()]
    # config.js is deferred (not render-blocking) and comes first, so it still runs before the scripts that
    # need the API's URL: the early data requests (src/early.ts), then the app's bundle.
    scripts = re.findall(r"<script\b[^>]*>", (out / "index.html").read_text())
    assert 'src="/config.js" defer' in scripts[0]
    assert 'type="module"' in scripts[1] and 'src="/assets/early-' in scripts[1]
    assert 'type="module"' in scripts[2] and 'src="/assets/index-' in scripts[2]
