"""The client's address for the per-IP hold limit, behind the site's CloudFront distribution or not.

Through CloudFront, API Gateway's sourceIp is an edge server's address: every visitor of one edge would
share one hold counter. CloudFront then sends the visitor's own address in `CloudFront-Viewer-Address`
(`ip:port`) and, on every request it forwards, the origin secret header (infra/edge.py). A direct call to
API Gateway can send any CloudFront-Viewer-Address it likes, but not the secret, so the header counts only
when the secret matches; otherwise the client is API Gateway's sourceIp, a value nobody can forge.
"""

from __future__ import annotations

import hmac
import ipaddress
from collections.abc import Mapping
from typing import Any

ORIGIN_HEADER = "X-Origin-Verify"  # added by CloudFront to every origin request (infra/edge.py)
VIEWER_HEADER = "CloudFront-Viewer-Address"


def client_ip(headers: Mapping[str, str], context: Mapping[str, Any] | None, origin_secret: str) -> str | None:
    """`headers` is case-insensitive (Chalice's request headers)."""
    viewer = _viewer_ip(headers.get(VIEWER_HEADER.lower()))
    sent = headers.get(ORIGIN_HEADER.lower())
    if viewer and origin_secret and sent and hmac.compare_digest(sent.encode(), origin_secret.encode()):
        return viewer
    found = ((context or {}).get("identity") or {}).get("sourceIp")
    return str(found) if found else None


def _viewer_ip(raw: str | None) -> str | None:
    """`203.0.113.7:46532` or `2001:db8::1:46532` (IPv6 without brackets): the address before the last colon."""
    if not raw or ":" not in raw:
        return None
    try:
        return str(ipaddress.ip_address(raw.rsplit(":", 1)[0].strip("[]")))
    except ValueError:
        return None
