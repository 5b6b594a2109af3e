"""Serve the built SPA with deep-link fallback to index.html, and a runtime config.js."""

from __future__ import annotations

import json
import sys
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class SpaHandler(SimpleHTTPRequestHandler):
    config_js = b""

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if path == "/config.js":
            self._send(200, "application/javascript", self.config_js)
            return
        target = Path(self.translate_path(path))
        if not target.exists() and "." not in path.rsplit("/", 1)[-1]:
            self.path = "/index.html"  # client-side route: let the SPA render it
        super().do_GET()

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def main() -> None:
    host, port, root, api_url = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    SpaHandler.config_js = f"window.__APP_CONFIG__ = {json.dumps({'apiBaseUrl': api_url})};\n".encode()
    server = ThreadingHTTPServer((host, port), partial(SpaHandler, directory=root))
    server.serve_forever()


if __name__ == "__main__":
    main()
