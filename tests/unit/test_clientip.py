"""Which address the per-IP hold limit counts: the viewer's only when our CloudFront provably sent it."""

from __future__ import annotations

import pytest

from chalicelib.clientip import client_ip

SECRET = "s3cret-from-the-stack"
GATEWAY = {"identity": {"sourceIp": "198.51.100.20"}}  # through CloudFront: an edge server's address


def through_cloudfront(viewer: str, secret: str = SECRET) -> dict[str, str]:
    return {"cloudfront-viewer-address": viewer, "x-origin-verify": secret}


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [("203.0.113.7:46532", "203.0.113.7"), ("2001:db8::1:443", "2001:db8::1"), ("[2001:db8::2]:443", "2001:db8::2")],
)
def test_with_the_origin_secret_the_viewer_address_is_the_client(viewer: str, expected: str) -> None:
    assert client_ip(through_cloudfront(viewer), GATEWAY, SECRET) == expected


@pytest.mark.parametrize(
    "headers",
    [
        {"cloudfront-viewer-address": "203.0.113.7:46532"},  # a direct call forging the header
        through_cloudfront("203.0.113.7:46532", secret="guessed"),
        through_cloudfront("203.0.113.7:46532", secret=SECRET + "x"),
        through_cloudfront("not-an-address:1"),
        through_cloudfront("203.0.113.7"),  # no port: not what CloudFront sends
    ],
)
def test_a_forged_or_malformed_viewer_address_is_ignored(headers: dict[str, str]) -> None:
    assert client_ip(headers, GATEWAY, SECRET) == "198.51.100.20"


def test_without_a_configured_secret_no_header_is_trusted() -> None:
    assert client_ip(through_cloudfront("203.0.113.7:1", secret=""), GATEWAY, "") == "198.51.100.20"


def test_no_source_ip_at_all_is_none() -> None:
    assert client_ip({}, {}, SECRET) is None
    assert client_ip({}, None, SECRET) is None
