"""The API on the web app's origin under /api/*, as the production distribution puts it (infra/edge.py), so
the browser and Lighthouse locally see what they see in production: one origin, no CORS preflight, and the
public reads compressed.

What the distribution does, and this does too:
- /api/experts is the API's /experts: CloudFront forwards the path unchanged to the stage named `api`.
- The viewer's headers reach the API except Host and the hop-by-hop ones (AllViewerExceptHostHeader), plus
  `CloudFront-Viewer-Address`; a viewer cannot send its own `CloudFront-Viewer-Address` or
  `X-Origin-Verify`. The secret header is added when ORIGIN_VERIFY_SECRET is set, as the origin's custom
  header (chalicelib/clientip.py).
- Only the public-read behaviours compress: their cache policy enables gzip and brotli, while
  CachingDisabled (tokens, writes) does not. A compressed answer's strong ETag becomes weak, as CloudFront's.
- No answer within the origin's 30 s read timeout is a 504, a refused connection a 502, both in the API's
  error envelope, so the SPA shows and retries them as it does any 5xx.

What it does not do: cache. Each request reaches the API, so a test or a benchmark sees the API's own work.
"""

from __future__ import annotations

import fnmatch
import http.client
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from urllib.parse import urlsplit

PREFIX = "/api/"
ORIGIN_TIMEOUT_SECONDS = 30  # CloudFront's default origin response timeout
COMPRESSED_STATUSES = (200, 403, 404)
HOP_BY_HOP = {
    "connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
}
# Never passed on from the viewer: CloudFront sets these itself.
EDGE_SET = {"host", "cloudfront-viewer-address", "x-origin-verify", "accept-encoding", "content-length"}

# Not passed on from the API: the edge's own server writes these.
ANSWER_SET = {"content-length", "date", "server"}


@dataclass(frozen=True)
class Answer:
    status: int
    headers: list[tuple[str, str]]  # the API's, minus hop-by-hop ones and ANSWER_SET
    body: bytes


def is_api(path: str) -> bool:
    return path.startswith(PREFIX)


@cache
def compressing_patterns() -> tuple[tuple[str, bool], ...]:
    """infra/edge.py's API behaviours in CloudFront's order, each with whether its cache policy compresses."""
    from infra import edge

    found = []
    for wrapped in edge.behaviours("headers-policy"):
        behaviour = wrapped["Fn::If"][1]
        found.append((behaviour["PathPattern"], behaviour["CachePolicyId"] == {"Ref": edge.READ_CACHE_POLICY}))
    return tuple(found)


def compresses(path: str) -> bool:
    """Whether the first behaviour matching the path compresses (CloudFront's `*` also matches `/`)."""
    for pattern, compressing in compressing_patterns():
        if fnmatch.fnmatchcase(path, pattern):
            return compressing
    return False


class ApiOrigin:
    def __init__(self, api_url: str):
        parts = urlsplit(api_url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.secret = os.environ.get("ORIGIN_VERIFY_SECRET", "")
        self.timeout: float = ORIGIN_TIMEOUT_SECONDS

    def forward(
        self, method: str, target: str, headers: Iterable[tuple[str, str]], body: bytes | None, viewer: str
    ) -> Answer:
        """Send the viewer's request to the API and return its answer (or a 502/504 of our own)."""
        sent = {name: value for name, value in headers if name.lower() not in HOP_BY_HOP | EDGE_SET}
        sent["CloudFront-Viewer-Address"] = viewer
        if self.secret:
            sent["X-Origin-Verify"] = self.secret
        connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        try:
            connection.request(method, target[len(PREFIX) - 1 :], body=body, headers=sent)
            response = connection.getresponse()
            content = response.read()
        except TimeoutError:
            return failure(504, "The service did not answer in time. Please retry shortly.")
        except OSError:
            return failure(502, "The service is unavailable. Please retry shortly.")
        finally:
            connection.close()
        kept = [(k, v) for k, v in response.getheaders() if k.lower() not in HOP_BY_HOP | ANSWER_SET]
        return Answer(response.status, kept, content)


def failure(status: int, message: str) -> Answer:
    code = "gateway_timeout" if status == 504 else "bad_gateway"
    body = json.dumps({"error": {"code": code, "message": message}}).encode()
    return Answer(status, [("Content-Type", "application/json")], body)
