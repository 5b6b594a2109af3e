"""Serve the built SPA as CloudFront serves it in production (issue 14), so Lighthouse and the browser
tests measure the real thing:

- deep links (a last path segment without a dot) answer index.html, as infra/spa_rewrite.js does;
  a missing file is a 404 with index.html's body, as the distribution's custom error response;
- gzip or brotli by Accept-Encoding for text over 1,000 bytes (CloudFront's `Compress: true`);
- the Cache-Control scripts/deploy.py uploads with: immutable for the hashed /assets/*, revalidate
  (`no-cache`) for index.html, config.js and the rest; strong ETags and 304s as S3 answers;
- the security headers of the distribution's response headers policy, read from infra/site.py;
- the API on the same origin under /api/* (devstack/edge_api.py), which config.js names, as scripts/deploy.py
  writes it for the distribution.

    python devstack/serve_web.py HOST PORT ROOT API_URL      (API_URL: where /api/* is forwarded)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import mimetypes
import sys
from dataclasses import dataclass
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import brotli

from devstack import edge_api

# The same strings scripts/deploy.py uploads with (tests/integration/test_web_server.py checks they match).
IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"
# CloudFront compresses objects from 1,000 bytes to 10 MB, of these types (and more that this app lacks).
COMPRESS_MIN_BYTES = 1000
COMPRESS_MAX_BYTES = 10_000_000
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/manifest+json")
ENCODINGS = ("br", "gzip")  # in order of preference when the client accepts both equally
API_BASE_URL = "/api"  # what scripts/deploy.py writes into config.js when the API is behind the distribution


@dataclass(frozen=True)
class Representation:
    body: bytes
    etag: str
    encoding: str | None


@dataclass(frozen=True)
class Resource:
    """One file as served: its identity bytes, type and cache policy; compressed forms made once."""

    body: bytes
    content_type: str
    cache_control: str

    @property
    def compressible(self) -> bool:
        return compressible(self.content_type, len(self.body))

    def representation(self, accept_encoding: str) -> Representation:
        encoding = negotiate(accept_encoding) if self.compressible else None
        return _encode(self, encoding)


def compressible(content_type: str, size: int) -> bool:
    return COMPRESS_MIN_BYTES <= size <= COMPRESS_MAX_BYTES and content_type.startswith(COMPRESSIBLE)


@lru_cache(maxsize=256)
def _encode(resource: Resource, encoding: str | None) -> Representation:
    tag = hashlib.sha256(resource.body).hexdigest()[:32]
    if encoding == "br":
        body = brotli.compress(resource.body, quality=11)
    elif encoding == "gzip":
        body = gzip.compress(resource.body, compresslevel=9, mtime=0)
    else:
        return Representation(resource.body, f'"{tag}"', None)
    return Representation(body, f'"{tag}-{encoding}"', encoding)


def at_the_edge(
    answer: edge_api.Answer, path: str, accept_encoding: str, security: dict[str, str]
) -> tuple[list[tuple[str, str]], bytes]:
    """The API's answer as the distribution passes it on: the security headers policy's headers replace the
    API's own (every one of them is set with Override), and a public read is compressed, its strong ETag
    made weak, as CloudFront does."""
    ours = {name.lower() for name in security}
    headers = [(k, v) for k, v in answer.headers if k.lower() not in ours] + list(security.items())
    found = {k.lower(): v for k, v in headers}
    if not (
        edge_api.compresses(path)
        and answer.status in edge_api.COMPRESSED_STATUSES
        and compressible(found.get("content-type", ""), len(answer.body))
        and "content-encoding" not in found
    ):
        return headers, answer.body
    headers.append(("Vary", "Accept-Encoding"))
    encoding = negotiate(accept_encoding)
    if encoding is None:
        return headers, answer.body
    # Compressed per request, at the speed an edge uses for it, not once at quality 11 as the files are.
    if encoding == "br":
        body = brotli.compress(answer.body, quality=5)
    else:
        body = gzip.compress(answer.body, compresslevel=6, mtime=0)
    headers = [(k, v if k.lower() != "etag" or v.startswith("W/") else f"W/{v}") for k, v in headers]
    return [*headers, ("Content-Encoding", encoding)], body


def negotiate(accept_encoding: str) -> str | None:
    """The preferred encoding the client accepts (q > 0), or None for identity."""
    weights: dict[str, float] = {}
    for part in accept_encoding.split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        weights[name.strip().lower()] = q
    star = weights.get("*", 0.0)
    ranked = [(weights.get(e, star), -i, e) for i, e in enumerate(ENCODINGS)]
    q, _, best = max(ranked)
    return best if q > 0 else None


def security_headers() -> dict[str, str]:
    """The headers infra/site.py's CloudFront response headers policy adds, as a browser receives them."""
    from infra import site

    policy = site.resources()["SiteHeadersPolicy"]["Properties"]["ResponseHeadersPolicyConfig"]
    headers: dict[str, str] = {}
    for key, config in policy.get("SecurityHeadersConfig", {}).items():
        name, value = _security_header(key, config)
        headers[name] = value
    for item in policy.get("CustomHeadersConfig", {}).get("Items", []):
        headers[item["Header"]] = item["Value"]
    return headers


def _security_header(key: str, config: dict[str, Any]) -> tuple[str, str]:
    if key == "StrictTransportSecurity":
        value = f"max-age={config['AccessControlMaxAgeSec']}"
        value += "; includeSubDomains" if config.get("IncludeSubdomains") else ""
        value += "; preload" if config.get("Preload") else ""
        return "Strict-Transport-Security", value
    if key == "ContentTypeOptions":
        return "X-Content-Type-Options", "nosniff"
    if key == "FrameOptions":
        return "X-Frame-Options", config["FrameOption"]
    if key == "ReferrerPolicy":
        return "Referrer-Policy", config["ReferrerPolicy"]
    if key == "ContentSecurityPolicy":
        csp = config["ContentSecurityPolicy"]
        return "Content-Security-Policy", csp["Fn::Sub"] if isinstance(csp, dict) else csp
    if key == "XSSProtection":
        value = "1" if config.get("Protection") else "0"
        value += "; mode=block" if config.get("ModeBlock") else ""
        value += f"; report={config['ReportUri']}" if config.get("ReportUri") else ""
        return "X-XSS-Protection", value
    raise ValueError(f"serve_web.py does not know CloudFront's security header {key}: add it here")


class SpaServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple[str, int], root: Path, api_url: str):
        super().__init__(address, SpaHandler)
        self.root = root.resolve()
        self.api = edge_api.ApiOrigin(api_url)
        self.security = security_headers()
        config = f"window.__APP_CONFIG__ = {json.dumps({'apiBaseUrl': API_BASE_URL})};\n".encode()
        self.config_js = Resource(config, "text/javascript; charset=utf-8", REVALIDATE)
        self.precompress()

    def precompress(self) -> None:
        """Compress every file once before serving, as an edge that has them cached: otherwise the first
        request for the bundle waits for brotli, and Lighthouse counts that as server time."""
        for file in self.root.rglob("*"):
            found = _file(self.root, "/" + file.relative_to(self.root).as_posix())
            if found is not None and found.compressible:
                for encoding in ENCODINGS:
                    found.representation(encoding)

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A browser that closes a connection mid-response (navigation, Lighthouse) is not an error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)

    def resource(self, path: str) -> tuple[int, Resource]:
        if path == "/config.js":
            return 200, self.config_js
        if path.rsplit("/", 1)[-1].find(".") == -1:
            path = "/index.html"  # a client-side route: the SPA renders it (infra/spa_rewrite.js)
        found = _file(self.root, path)
        if found is not None:
            return 200, found
        index = _file(self.root, "/index.html")
        if index is None:
            return 404, Resource(b"Not found\n", "text/plain; charset=utf-8", REVALIDATE)
        return 404, index


def _file(root: Path, path: str) -> Resource | None:
    """The file under root for a URL path; read again only when it changes (a new `make web-build`)."""
    target = (root / unquote(path).lstrip("/")).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        return None
    stat = target.stat()
    return _load(target, path.startswith("/assets/"), stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=256)
def _load(target: Path, hashed: bool, mtime_ns: int, size: int) -> Resource:
    kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    if kind.startswith("text/") or kind in ("application/javascript", "image/svg+xml"):
        kind = ("text/javascript" if kind == "application/javascript" else kind) + "; charset=utf-8"
    return Resource(target.read_bytes(), kind, IMMUTABLE if hashed else REVALIDATE)


class SpaHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: SpaServer

    def do_GET(self) -> None:
        self._proxy() if edge_api.is_api(self.path) else self._answer(head=False)

    def do_HEAD(self) -> None:
        self._proxy() if edge_api.is_api(self.path) else self._answer(head=True)

    def do_POST(self) -> None:
        self._proxy() if edge_api.is_api(self.path) else self._refuse()

    def do_PUT(self) -> None:
        self.do_POST()

    def do_PATCH(self) -> None:
        self.do_POST()

    def do_DELETE(self) -> None:
        self.do_POST()

    def do_OPTIONS(self) -> None:
        self.do_POST()

    def _refuse(self) -> None:
        """The site's default behaviour allows GET and HEAD only: CloudFront answers other methods 403."""
        headers = [*self.server.security.items(), ("Content-Type", "text/plain")]
        self._send(403, headers, b"This method is not allowed here.\n")

    def _proxy(self) -> None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self._send(411, [("Content-Type", "text/plain")], b"Send a Content-Length.\n")
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length > 0 else None
        viewer = f"{self.client_address[0]}:{self.client_address[1]}"
        answer = self.server.api.forward(self.command, self.path, self.headers.items(), body, viewer)
        accept = self.headers.get("Accept-Encoding", "")
        headers, content = at_the_edge(answer, urlsplit(self.path).path, accept, self.server.security)
        self._send(answer.status, headers, content, head=self.command == "HEAD")

    def _send(self, status: int, headers: list[tuple[str, str]], body: bytes, head: bool = False) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _answer(self, head: bool) -> None:
        status, resource = self.server.resource(urlsplit(self.path).path)
        chosen = resource.representation(self.headers.get("Accept-Encoding", ""))
        matches = chosen.etag in [t.strip() for t in self.headers.get("If-None-Match", "").split(",")]
        not_modified = status == 200 and matches
        self.send_response(304 if not_modified else status)
        for name, value in self.server.security.items():
            self.send_header(name, value)
        self.send_header("Cache-Control", resource.cache_control)
        self.send_header("ETag", chosen.etag)
        if resource.compressible:
            self.send_header("Vary", "Accept-Encoding")
        if not_modified:
            self.end_headers()
            return
        self.send_header("Content-Type", resource.content_type)
        if chosen.encoding:
            self.send_header("Content-Encoding", chosen.encoding)
        self.send_header("Content-Length", str(len(chosen.body)))
        self.end_headers()
        if not head:
            self.wfile.write(chosen.body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def main() -> None:
    host, port, root, api_url = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    SpaServer((host, port), Path(root), api_url).serve_forever()


if __name__ == "__main__":
    main()
