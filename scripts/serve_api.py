"""Run `chalice local` with a listen backlog large enough for bursts of concurrent requests.

chalice local's ThreadedHTTPServer keeps socketserver's default backlog of 5, so 50
simultaneous connections get resets. Raise it before the server is created.
"""

from __future__ import annotations

import sys

from chalice import local
from chalice.cli import main

local.ThreadedHTTPServer.request_queue_size = 128

if __name__ == "__main__":
    host, port = sys.argv[1], sys.argv[2]
    sys.argv = ["chalice", "local", "--no-autoreload", "--host", host, "--port", port]
    sys.exit(main())
