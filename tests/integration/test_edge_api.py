"""The local web server's /api/* (devstack/edge_api.py) forwards to the API as the production distribution's
API behaviours do (infra/edge.py): the path under the stage, the viewer's headers but not the ones only
CloudFront may set, the API's answer with the site's security headers, and compression on public reads only.

The API here is a small HTTP server that echoes what reached it, so each test can see both sides of the hop.
"""

from __future__ import annotations

import gzip
import http.client
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import brotli
import pytest

from devstack import edge_api
from devstack.local_stack import HOST
from devstack.serve_web import SpaServer, security_headers

ROWS = [{"id": f"exp-{n:03d}", "name": f"Expert {n}", "headline": "Helps with the thing"} for n in range(40)]
BIG = json.dumps({"items": ROWS}).encode()  # over CloudFront's 1,000 bytes


class EchoApi(BaseHTTPRequestHandler):
    """Answers every request with what it received, or a page of experts on a public read's path (or one
    with `big` in it); `/slow` answers after `server.delay` seconds, `/not-modified` with a 304."""

    protocol_version = "HTTP/1.1"
    server: Any

    def _echo(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        received = {
            "method": self.command,
            "path": self.path,
            "headers": {k.lower(): v for k, v in self.headers.items()},
            "body": self.rfile.read(length).decode() if length else None,
        }
        self.server.received.append(received)
        if self.path.startswith("/slow"):
            time.sleep(self.server.delay)
        if self.path.startswith("/not-modified"):
            self.send_response(304)
            self.send_header("ETag", '"v1"')
            self.end_headers()
            return
        big = "big" in self.path or self.path.startswith(("/experts", "/categories"))
        body = BIG if big else json.dumps(received).encode()
        self.send_response(201 if self.command == "POST" else 200)
        self.send_header("Content-Type", "application/json")
        self.send_header("ETag", '"v1"')
        self.send_header("X-Frame-Options", "SAMEORIGIN")  # the distribution's policy overrides it
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    do_GET = do_POST = do_PATCH = do_DELETE = do_HEAD = _echo  # noqa: N815

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


@pytest.fixture(scope="module")
def api() -> Iterator[ThreadingHTTPServer]:
    server: Any = ThreadingHTTPServer((HOST, 0), EchoApi)
    server.received, server.delay = [], 0.0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def web(api: ThreadingHTTPServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[SpaServer]:
    root = tmp_path_factory.mktemp("dist")
    (root / "index.html").write_bytes(b"<!doctype html><title>app</title>")
    server = SpaServer((HOST, 0), Path(root), f"http://{HOST}:{api.server_address[1]}")
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def call(
    web: SpaServer, method: str, path: str, body: bytes | None = None, **headers: str
) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection(HOST, web.server_address[1], timeout=60)
    try:
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def test_a_write_reaches_the_api_under_its_stage_path_with_the_viewers_headers(web: SpaServer) -> None:
    payload = json.dumps({"slotStart": "2027-01-04T09:00:00Z"}).encode()
    status, headers, body = call(
        web,
        "POST",
        "/api/bookings?x=1",
        payload,
        **{
            "Content-Type": "application/json",
            "Authorization": "Bearer abc",
            "Idempotency-Key": "k-1",
            "Accept-Encoding": "gzip, br",
            # Only CloudFront sets these: a viewer's own are dropped (chalicelib/clientip.py trusts them).
            "CloudFront-Viewer-Address": "203.0.113.9:1234",
            "X-Origin-Verify": "guessed",
        },
    )
    assert status == 201
    received = json.loads(body)  # small, and a write: passed on as the API sent it
    assert "content-encoding" not in headers and "vary" not in headers
    assert (received["method"], received["path"], received["body"]) == ("POST", "/bookings?x=1", payload.decode())
    sent = received["headers"]
    assert (sent["authorization"], sent["idempotency-key"], sent["content-type"]) == (
        "Bearer abc",
        "k-1",
        "application/json",
    )
    assert sent["cloudfront-viewer-address"].startswith("127.0.0.1:")
    assert "x-origin-verify" not in sent
    assert "gzip" not in sent.get("accept-encoding", "")  # the edge compresses, not the API
    # The site's security headers, over the API's own (every one is set with Override).
    for name, value in security_headers().items():
        assert headers[name.lower()] == value
    assert headers["etag"] == '"v1"'


@pytest.mark.parametrize(
    ("accept", "encoding", "decode"),
    [("gzip, deflate, br", "br", brotli.decompress), ("gzip", "gzip", gzip.decompress), ("", None, bytes)],
)
def test_a_public_read_is_compressed_and_its_etag_made_weak(
    web: SpaServer, accept: str, encoding: str | None, decode: Any
) -> None:
    status, headers, body = call(web, "GET", "/api/experts?limit=40", **{"Accept-Encoding": accept})
    assert status == 200 and headers["vary"] == "Accept-Encoding"
    assert headers.get("content-encoding") == encoding
    assert decode(body) == BIG and int(headers["content-length"]) == len(body)
    assert headers["etag"] == ('W/"v1"' if encoding else '"v1"')


def test_only_the_public_read_behaviours_compress(web: SpaServer) -> None:
    """A waitlist write under /api/experts/* and everything else under /api/* has CachingDisabled, which
    does not compress; HEAD and the 304 of a poll pass on with no body."""
    for path in ("/api/experts/exp-001/waitlist?big", "/api/bookings/big", "/api/admin/big"):
        status, headers, body = call(web, "GET", path, **{"Accept-Encoding": "gzip, br"})
        assert status == 200 and "content-encoding" not in headers and body == BIG, path
    status, headers, body = call(web, "HEAD", "/api/categories", **{"Accept-Encoding": "br"})
    assert (status, body, headers["etag"]) == (200, b"", '"v1"')
    status, headers, body = call(web, "GET", "/api/not-modified", **{"If-None-Match": 'W/"v1"'})
    assert (status, body, headers["etag"]) == (304, b"", '"v1"')


def test_a_viewer_cannot_reach_outside_the_api_prefix(web: SpaServer, api: Any) -> None:
    before = len(api.received)
    assert call(web, "POST", "/bookings", b"{}")[0] == 403  # the site itself takes GET and HEAD only
    assert call(web, "GET", "/apiary")[0] == 200  # a deep link of the app, not the API
    assert len(api.received) == before


def test_an_unreachable_or_silent_api_is_a_5xx_in_the_error_envelope(web: SpaServer, api: Any) -> None:
    down = SpaServer((HOST, 0), web.root, f"http://{HOST}:1")
    threading.Thread(target=down.serve_forever, daemon=True).start()
    try:
        status, headers, body = call(down, "GET", "/api/experts")
        assert status == 502 and json.loads(body)["error"]["code"] == "bad_gateway"
        assert headers["content-type"] == "application/json"
    finally:
        down.shutdown()
        down.server_close()
    slow = SpaServer((HOST, 0), web.root, f"http://{HOST}:{api.server_address[1]}")
    slow.api.timeout = 0.5
    api.delay = 3.0
    threading.Thread(target=slow.serve_forever, daemon=True).start()
    try:
        status, _, body = call(slow, "POST", "/api/slow", b"{}")
        assert status == 504 and json.loads(body)["error"]["code"] == "gateway_timeout"
    finally:
        api.delay = 0.0
        slow.shutdown()
        slow.server_close()


def test_the_behaviours_are_read_from_the_template_code() -> None:
    """The compressing paths are infra/edge.py's, in its order: a change there changes what this serves."""
    patterns = edge_api.compressing_patterns()
    assert patterns[0] == ("/api/experts/*/waitlist*", False)
    assert ("/api/experts*", True) in patterns and ("/api/categories*", True) in patterns
    assert patterns[-1] == ("/api/*", False)
