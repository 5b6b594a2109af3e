"""devstack/serve_api.py: a browser that goes away mid-request leaves one line, not a traceback (issue 13)."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler

import pytest
from chalice import local

import devstack.serve_api  # noqa: F401  (patches chalice local's server)


class _SlowWriter(BaseHTTPRequestHandler):
    """Answers after the client has gone, as a slots poll does when its tab closes."""

    def do_GET(self) -> None:
        self.server.client_gone.wait(10)  # type: ignore[attr-defined]
        self.send_response(200)
        self.end_headers()
        for _ in range(200):  # enough writes to meet the closed socket
            self.wfile.write(b"x" * 65536)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def _serve(handler: type[BaseHTTPRequestHandler]) -> local.ThreadedHTTPServer:
    server = local.ThreadedHTTPServer(("127.0.0.1", 0), handler)
    server.client_gone = threading.Event()  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_a_client_that_hangs_up_leaves_no_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    server = _serve(_SlowWriter)
    try:
        client = socket.create_connection(server.server_address[:2])
        client.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")  # RST on close
        client.close()
        server.client_gone.set()  # type: ignore[attr-defined]
        for _ in range(100):
            err = capsys.readouterr().err
            if "client closed the connection" in err:
                break
            threading.Event().wait(0.1)
        else:
            pytest.fail("the server never noticed the client had gone")
        assert "Traceback" not in err
    finally:
        server.shutdown()
        server.server_close()


def test_other_errors_keep_their_traceback(capsys: pytest.CaptureFixture[str]) -> None:
    server = local.ThreadedHTTPServer(("127.0.0.1", 0), _SlowWriter)
    try:
        try:
            raise ValueError("a real bug")
        except ValueError:
            server.handle_error(None, ("127.0.0.1", 1))
    finally:
        server.server_close()
    err = capsys.readouterr().err
    assert "Traceback" in err and "a real bug" in err
