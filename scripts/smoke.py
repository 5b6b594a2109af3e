"""Read-only smoke test of a running API, local or deployed. Exits 1 naming the first failed check.

    python -m scripts.smoke http://127.0.0.1:8000
    python -m scripts.smoke https://abc123.execute-api.eu-west-1.amazonaws.com/api --origin https://d111.cloudfront.net

Only GET requests: safe against production. With --origin, every response must allow exactly
that origin (CORS locked to the web app). Expert checks are skipped when the catalog is empty.
"""

from __future__ import annotations

import argparse
import http.client
import sys
from typing import Any
from urllib.parse import urlsplit

from devstack import reply as http_reply

UNKNOWN_EXPERT = "smoke-test-no-such-expert"


class SmokeFailure(Exception):
    pass


class Reply(http_reply.Reply):
    def json(self) -> Any:
        try:
            return super().json()
        except ValueError as exc:
            raise SmokeFailure(f"expected JSON, got {self.body[:200]!r}") from exc


class Api:
    def __init__(self, base_url: str, origin: str | None = None, timeout: float = 15):
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise SmokeFailure(f"not an http(s) URL: {base_url!r}")
        self._https = parts.scheme == "https"
        self._host = parts.netloc
        self._prefix = parts.path.rstrip("/")
        self._origin = origin
        self._timeout = timeout
        self.base_url = base_url

    def get(self, path: str, headers: dict[str, str] | None = None) -> Reply:
        kind = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
        connection = kind(self._host, timeout=self._timeout)
        sent = {"Accept": "application/json", **({"Origin": self._origin} if self._origin else {}), **(headers or {})}
        try:
            connection.request("GET", self._prefix + path, headers=sent)
            response = connection.getresponse()
            reply = Reply(response.status, {k.lower(): v for k, v in response.getheaders()}, response.read())
        except OSError as exc:
            raise SmokeFailure(f"cannot reach {self.base_url}: {exc}") from exc
        finally:
            connection.close()
        allowed = reply.headers.get("access-control-allow-origin")
        if self._origin and allowed != self._origin:
            raise SmokeFailure(f"GET {path}: Access-Control-Allow-Origin is {allowed!r}, expected {self._origin!r}")
        return reply


def expect(reply: Reply, status: int, what: str) -> Reply:
    if reply.status != status:
        raise SmokeFailure(f"{what}: expected {status}, got {reply.status}: {reply.body[:300]!r}")
    return reply


def expect_keys(value: Any, keys: set[str], what: str) -> None:
    if not isinstance(value, dict) or not keys <= set(value):
        raise SmokeFailure(f"{what}: expected an object with {sorted(keys)}, got {str(value)[:300]}")


def expect_error(reply: Reply, status: int, code: str, what: str) -> None:
    expect(reply, status, what)
    error = reply.json().get("error", {})
    if error.get("code") != code:
        raise SmokeFailure(f"{what}: expected error code {code!r}, got {reply.body[:300]!r}")


def check_service(api: Api) -> None:
    health = expect(api.get("/health"), 200, "GET /health").json()
    if health != {"status": "ok"}:
        raise SmokeFailure(f'GET /health: expected {{"status": "ok"}}, got {health}')
    document = expect(api.get("/openapi.json"), 200, "GET /openapi.json").json()
    expect_keys(document, {"openapi", "paths"}, "GET /openapi.json")
    if not str(document["openapi"]).startswith("3.1") or "/experts" not in document["paths"]:
        raise SmokeFailure("GET /openapi.json: expected an OpenAPI 3.1 document describing /experts")


def check_catalog(api: Api) -> dict[str, Any] | None:
    """Listing, categories and the error envelope; returns the first expert, if any."""
    categories = expect(api.get("/categories"), 200, "GET /categories").json()
    expect_keys(categories, {"items"}, "GET /categories")
    page = expect(api.get("/experts?limit=5"), 200, "GET /experts").json()
    expect_keys(page, {"items", "page", "limit", "total", "totalPages"}, "GET /experts")
    expect_error(api.get("/experts?limit=0"), 400, "validation_failed", "GET /experts?limit=0")
    expect_error(api.get(f"/experts/{UNKNOWN_EXPERT}"), 404, "expert_not_found", "GET /experts/{unknown}")
    return page["items"][0] if page["items"] else None


def check_expert(api: Api, expert_id: str) -> None:
    expert = expect(api.get(f"/experts/{expert_id}"), 200, "GET /experts/{id}").json()
    if expert.get("id") != expert_id:
        raise SmokeFailure(f"GET /experts/{expert_id}: answered for {expert.get('id')!r}")
    path = f"/experts/{expert_id}/slots?days=3"
    first = expect(api.get(path), 200, "GET /experts/{id}/slots")
    expect_keys(first.json(), {"expertId", "timezone", "days"}, "GET /experts/{id}/slots")
    etag = first.headers.get("etag")
    if not etag:
        raise SmokeFailure("GET /experts/{id}/slots: no ETag header")
    again = expect(api.get(path, {"If-None-Match": etag}), 304, "GET /experts/{id}/slots with If-None-Match")
    if again.body:
        raise SmokeFailure("GET /experts/{id}/slots: a 304 must have no body")


def run(api: Api, say: Any = print) -> None:
    check_service(api)
    say("ok    /health, /openapi.json")
    expert = check_catalog(api)
    say("ok    /categories, /experts (paging, 400 and 404 error envelopes)")
    if expert is None:
        say("skip  /experts/{id} and its slots: the catalog is empty")
        return
    check_expert(api, expert["id"])
    say(f"ok    /experts/{expert['id']} and its slots (ETag, 304 on If-None-Match)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base_url", help="the API's base URL, e.g. http://127.0.0.1:8000")
    parser.add_argument("--origin", help="require CORS to allow exactly this origin (the web app's URL)")
    args = parser.parse_args(argv)
    try:
        run(Api(args.base_url, args.origin))
    except SmokeFailure as exc:
        print(f"smoke test FAILED against {args.base_url}: {exc}", file=sys.stderr)
        return 1
    print(f"smoke test passed against {args.base_url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
