"""bench/lighthouse.py: the CPU steal it reads around each run, and which runs it counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench import lighthouse
from bench.lighthouse import Run

# /proc/stat's first line: user nice system idle iowait irq softirq steal guest guest_nice
BEFORE = "cpu  1000 0 500 8000 100 0 0 400 0 0\ncpu0 1 2 3\n"
AFTER = "cpu  1300 0 600 8400 100 0 0 600 50 0\ncpu0 1 2 3\n"


def test_steal_is_the_stolen_share_of_all_cpu_time_between_two_reads() -> None:
    # 200 stolen of 300 + 100 + 400 + 200 = 1,000 jiffies; guest time is inside user already.
    assert lighthouse.steal_between(BEFORE, AFTER) == pytest.approx(0.2)
    assert lighthouse.steal_between(BEFORE, BEFORE) is None


def run(performance: int, steal: float | None) -> Run:
    return Run("expert page", "http://x/", {"performance": performance}, 0.0, 1000.0, {}, [], steal)


def test_a_run_on_a_busy_host_is_measured_again_and_kept_apart(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    queue = [run(60, 0.4), run(95, 0.01), run(70, 0.3), run(94, None), run(96, 0.05)]

    def fake(url: str, page: str, report: Path, desktop: bool = False) -> Run:
        report.write_text("{}")
        report.with_suffix(".steal").write_text("0.1\n")
        return queue.pop(0)

    monkeypatch.setattr(lighthouse, "REPORTS", tmp_path)
    monkeypatch.setattr(lighthouse, "lighthouse", fake)
    counted, busy = lighthouse.measure("http://x/", "expert page", runs=3)
    assert [r.scores["performance"] for r in counted] == [95, 94, 96]
    assert [r.scores["performance"] for r in busy] == [60, 70]
    assert sorted(p.name for p in tmp_path.glob("*-busy.*")) == [
        "expert-page-1-busy.json",
        "expert-page-1-busy.steal",
        "expert-page-3-busy.json",
        "expert-page-3-busy.steal",
    ]


def test_when_the_host_stays_busy_the_last_attempts_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scores = iter(range(50, 60))

    def fake(url: str, page: str, report: Path, desktop: bool = False) -> Run:
        report.write_text("{}")
        return run(next(scores), 0.5)

    monkeypatch.setattr(lighthouse, "REPORTS", tmp_path)
    monkeypatch.setattr(lighthouse, "lighthouse", fake)
    counted, busy = lighthouse.measure("http://x/", "expert page", runs=2)
    # 2 runs, 3 attempts each: four measured again, then the last two count, however busy.
    assert [r.scores["performance"] for r in busy] == [50, 51, 52, 53]
    assert [r.scores["performance"] for r in counted] == [54, 55]
