"""devstack/ports.py: two pytest-xdist workers never pick the same port, and the kernel never hands one out."""

from __future__ import annotations

import socket

import pytest

from devstack import ports


def test_each_worker_has_its_own_slice_below_the_ephemeral_range() -> None:
    starts = [ports.slice_start(worker) for worker in ("", "gw0", "gw1", "gw2", "gw3")]
    assert None not in starts
    ranges = [set(range(start, start + ports.SLICE)) for start in starts if start is not None]
    for number, taken in enumerate(ranges):
        assert max(taken) < ports.ephemeral_start()
        assert all(not taken & other for other in ranges[number + 1 :])


def test_ports_are_handed_out_in_turn_and_held_ones_are_passed_over(monkeypatch: pytest.MonkeyPatch) -> None:
    start = ports.slice_start()
    assert start is not None
    # Four ports in a row that nothing holds (this worker's stacks, e.g. the session's moto, hold some).
    first = next(p for p in range(start, start + ports.SLICE - 4) if all(ports.bindable(p + i) for i in range(4)))
    with socket.socket() as held:
        held.bind((ports.HOST, first + 1))
        monkeypatch.setattr(ports, "_handed_out", iter(range(first - start, ports.SLICE)))
        picked = [ports.free_port() for _ in range(3)]
    assert picked == [first, first + 2, first + 3]


def test_a_full_slice_is_an_error_not_a_port_in_use(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ports, "_handed_out", iter(range(10 * ports.SLICE)))
    monkeypatch.setattr(ports, "bindable", lambda port: False)
    with pytest.raises(RuntimeError, match="no free port"):
        ports.free_port()
