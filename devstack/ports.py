"""Ports for the local stack's servers that no other process picks in the meantime.

A port found free by binding to port 0 stays free only until someone else takes it: another test worker
binding to port 0 as well, or any outgoing connection, which gets its local port from the same ephemeral
range (ip_local_port_range). With two pytest-xdist workers each starting stacks, and a race test opening
hundreds of connections, that can happen between picking a port and the server binding it. So ports come
from below the ephemeral range, where neither bind(0) nor connect() ever goes, and each pytest-xdist worker
(PYTEST_XDIST_WORKER=gwN) has a slice of its own: two workers of one run cannot pick the same port. A process
hands out its slice's ports in turn from a random start (so that separate runs on one machine rarely meet),
none twice before the slice's 2,000 are used up, and passes over any port something else holds.
"""

from __future__ import annotations

import itertools
import os
import random
import re
import socket
import threading
from pathlib import Path

HOST = "127.0.0.1"
LOWEST = 10_000
SLICE = 2_000  # ports per process slice; a full test run uses about a hundred
_lock = threading.Lock()
_handed_out: itertools.count[int] | None = None


def ephemeral_start() -> int:
    """The lowest port the kernel hands to bind(0) and outgoing connections (Linux; 32768 elsewhere)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32_768


def slice_start(worker: str | None = None) -> int | None:
    """This process's first port: slice 0 outside pytest-xdist, slice N+1 for worker gwN; None when the
    ephemeral range leaves no room below it."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "") if worker is None else worker
    slices = (ephemeral_start() - LOWEST) // SLICE
    if slices < 1:
        return None
    number = re.fullmatch(r"gw(\d+)", worker)
    index = int(number.group(1)) + 1 if number else 0
    return LOWEST + (index % slices) * SLICE


def bindable(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind((HOST, port))
        except OSError:
            return False
        return True


def free_port() -> int:
    """A port on 127.0.0.1 that nothing holds now and that this process has not handed out before."""
    global _handed_out
    first = slice_start()
    if first is None:  # no room below the ephemeral range: let the kernel pick
        with socket.socket() as sock:
            sock.bind((HOST, 0))
            return int(sock.getsockname()[1])
    with _lock:
        if _handed_out is None:
            _handed_out = itertools.count(random.randrange(SLICE))
        for _ in range(SLICE):
            port = first + next(_handed_out) % SLICE
            if bindable(port):
                return port
    raise RuntimeError(f"no free port left in {first}-{first + SLICE - 1}")
