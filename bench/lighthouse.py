"""Lighthouse (mobile preset) on the experts page and one expert's page, on the local stack with the demo
data; the SPA is served by devstack/serve_web.py, which answers as CloudFront does (issue 14).

    python -m bench.lighthouse [--runs 3] [--write]   (what `make lighthouse` runs; --write updates only
                                                       this section of BENCHMARKS.md)

`make bench` runs it too, as one section. Lighthouse 12.8 is pinned in tools/lighthouse and drives Debian's
Chromium (CHROME_PATH). Each page is measured `runs` times; the run with the median Performance score is
reported, as Lighthouse's own guidance on variance suggests.

Lighthouse simulates the phone by multiplying the main-thread time it observes, so time the host's hypervisor
takes away from this VM (CPU steal, read from /proc/stat around each run) shows up as blocking time the app
did not cause. A run during which more than MAX_STEAL of the CPU was stolen is measured again, with at most
MAX_ATTEMPTS_PER_RUN attempts for each run counted; the report lists those runs apart with their scores and
steal, and when the attempts run out the last ones count, however busy the host.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import urllib.request
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from devstack.local_stack import HOST, ROOT, LocalStack, free_port

CLI = ROOT / "tools" / "lighthouse" / "node_modules" / "lighthouse" / "cli" / "index.js"
REPORTS = ROOT / "build" / "lighthouse"  # every run's full JSON report, for a closer look
CHROME = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
CHROME_FLAGS = "--headless --no-sandbox --disable-gpu --disable-dev-shm-usage"
CATEGORIES = ("performance", "accessibility", "best-practices")
METRICS = ("first-contentful-paint", "largest-contentful-paint", "total-blocking-time", "speed-index")
HEADING = "## Lighthouse: the web app (mobile)"
TARGETS = {"performance": 90, "accessibility": 100, "best-practices": 100}
CLS_TARGET = 0.05
MAX_STEAL = 0.10  # the fraction of CPU time the hypervisor may take during a run before it is measured again
MAX_ATTEMPTS_PER_RUN = 3


@dataclass
class Run:
    page: str
    url: str
    scores: dict[str, int]
    cls: float
    benchmark_index: float  # Lighthouse's measure of this machine's speed at the time; lower = busier
    metrics_ms: dict[str, float]
    failing: list[str]  # audits below full marks that count towards a category's score
    steal: float | None = None  # the fraction of CPU time the hypervisor took during the run (None: unknown)


def cpu_times(stat: str) -> tuple[int, int]:
    """(steal, total) jiffies from /proc/stat's first line (`cpu  user nice system idle iowait irq softirq
    steal ...`); guest time is already inside user and nice, so it is not added again."""
    fields = [int(x) for x in stat.split("\n", 1)[0].split()[1:9]]
    return fields[7], sum(fields)


def steal_between(before: str, after: str) -> float | None:
    (steal0, total0), (steal1, total1) = cpu_times(before), cpu_times(after)
    return (steal1 - steal0) / (total1 - total0) if total1 > total0 else None


def read_stat() -> str:
    try:
        return Path("/proc/stat").read_text()
    except OSError:
        return ""


def lighthouse(url: str, page: str, report: Path, desktop: bool = False) -> Run:
    if not CLI.exists():
        raise SystemExit("Lighthouse is not installed: run `make lighthouse` (it installs tools/lighthouse)")
    args = ["node", str(CLI), url, "--quiet", "--output=json", f"--output-path={report}"]
    args += [f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"]
    args += ["--preset=desktop"] if desktop else []  # the default is the mobile preset
    for _attempt in range(3):  # Lighthouse asks to be run again when its trace misses the start (NO_NAVSTART)
        before = read_stat()
        done = subprocess.run(args, env={**os.environ, "CHROME_PATH": CHROME}, capture_output=True, text=True)
        after = read_stat()
        if done.returncode == 0 or "Please run Lighthouse again" not in done.stderr:
            break
    if done.returncode != 0 or not report.exists():
        raise RuntimeError(f"lighthouse failed on {url} (exit {done.returncode}):\n{done.stderr[-3000:]}")
    steal = steal_between(before, after) if before and after else None
    if steal is not None:
        report.with_suffix(".steal").write_text(f"{steal:.4f}\n")
    return parse(json.loads(report.read_text()), page, steal)


def measure(url: str, page: str, runs: int) -> tuple[list[Run], list[Run]]:
    """`runs` runs of the page with at most MAX_STEAL stolen, and the runs measured again because more was
    (those count only when the attempts ran out)."""
    counted: list[Run] = []
    busy: list[Run] = []
    name = page.replace(" ", "-")
    for attempt in range(runs * MAX_ATTEMPTS_PER_RUN):
        if len(counted) == runs:
            break
        report = REPORTS / f"{name}-{attempt + 1}.json"
        found = lighthouse(url, page, report)
        quiet = found.steal is None or found.steal <= MAX_STEAL
        attempts_left = runs * MAX_ATTEMPTS_PER_RUN - attempt - 1
        if quiet or attempts_left < runs - len(counted):
            counted.append(found)
        else:
            busy.append(found)
            for kept in (report, report.with_suffix(".steal")):  # named so that --reuse tells them apart
                if kept.exists():
                    kept.rename(kept.with_name(f"{name}-{attempt + 1}-busy{kept.suffix}"))
    return counted, busy


def parse(result: dict[str, Any], page: str, steal: float | None = None) -> Run:
    audits = result["audits"]
    failing = []
    for key in CATEGORIES:
        for ref in result["categories"][key]["auditRefs"]:
            audit = audits[ref["id"]]
            if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
                failing.append(f"{key}: {ref['id']} ({audit['score']:.2f})")
    return Run(
        page=page,
        url=result["finalDisplayedUrl"],
        scores={key: round(result["categories"][key]["score"] * 100) for key in CATEGORIES},
        cls=audits["cumulative-layout-shift"]["numericValue"],
        benchmark_index=result["environment"]["benchmarkIndex"],
        metrics_ms={key: audits[key]["numericValue"] for key in METRICS},
        failing=failing,
        steal=steal,
    )


def first_expert(api_url: str) -> str:
    with urllib.request.urlopen(f"{api_url}/experts?page=1", timeout=60) as response:  # noqa: S310 (local http)
        items = json.load(response)["items"]
    return str(items[0]["id"])


def run(runs: int = 3) -> dict[str, Any]:
    """Start the stack with the demo data and the built SPA, measure both pages `runs` times each."""
    if not (ROOT / "frontend" / "dist" / "index.html").exists():
        raise SystemExit("No built SPA in frontend/dist: run `make web-build` first")
    stack = LocalStack(moto_port=free_port(), api_port=free_port(), web_port=free_port(), quiet=True)
    stack.start()
    try:
        web = f"http://{HOST}:{stack.web_port}"
        pages = {"experts list": f"{web}/", "expert page": f"{web}/experts/{first_expert(stack.api_url)}"}
        measured: dict[str, list[Run]] = {}
        busy: dict[str, list[Run]] = {}
        desktop: dict[str, Run] = {}
        REPORTS.mkdir(parents=True, exist_ok=True)
        for old in [*REPORTS.glob("*.json"), *REPORTS.glob("*.steal")]:
            old.unlink()  # --reuse reads exactly this run's reports
        for page, url in pages.items():
            name = page.replace(" ", "-")
            measured[page], busy[page] = measure(url, page, runs)
            say(f"{page}: " + ", ".join(describe(r) for r in measured[page]))
            if busy[page]:
                say(f"{page}, measured again (host busy): " + ", ".join(describe(r) for r in busy[page]))
            # Desktop once: a wide window is where a scrollbar appearing used to shift the whole page.
            desktop[page] = lighthouse(url, page, REPORTS / f"{name}-desktop.json", desktop=True)
            say(f"{page}, desktop preset: {describe(desktop[page])}")
    finally:
        stack.stop()
    return {"runs": runs, "pages": measured, "busy": busy, "desktop": desktop, "version": version()}


def reuse() -> dict[str, Any]:
    """The result of the last run, from its reports (to re-render the section without measuring again)."""
    pages: dict[str, list[Run]] = {}
    busy: dict[str, list[Run]] = {}
    desktop: dict[str, Run] = {}
    for report in sorted(REPORTS.glob("*.json")):
        stem = report.stem.removesuffix("-busy")
        name, _, suffix = stem.rpartition("-")
        page = name.replace("-", " ")
        sidecar = report.with_suffix(".steal")
        steal = float(sidecar.read_text()) if sidecar.exists() else None
        run_ = parse(json.loads(report.read_text()), page, steal)
        if suffix == "desktop":
            desktop[page] = run_
        else:
            (busy if report.stem.endswith("-busy") else pages).setdefault(page, []).append(run_)
    pages = dict(sorted(pages.items(), reverse=True))  # "experts list" first, as run() measures them
    runs = min(len(r) for r in pages.values())
    return {"runs": runs, "pages": pages, "busy": busy, "desktop": desktop, "version": version()}


def version() -> str:
    package = ROOT / "tools" / "lighthouse" / "node_modules" / "lighthouse" / "package.json"
    return str(json.loads(package.read_text())["version"])


def median_run(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda r: r.scores["performance"])
    return ordered[(len(ordered) - 1) // 2]


def describe(r: Run) -> str:
    scores = f"P {r.scores['performance']} A {r.scores['accessibility']} BP {r.scores['best-practices']}"
    return f"{scores} CLS {r.cls:.3f} (benchmarkIndex {r.benchmark_index:.0f}, steal {percent(r.steal)})"


def percent(fraction: float | None) -> str:
    return "unknown" if fraction is None else f"{fraction:.0%}"


def section(result: dict[str, Any]) -> list[str]:
    rows = []
    for page, runs in result["pages"].items():
        r = median_run(runs)
        perf = [x.scores["performance"] for x in runs]
        met = all(r.scores[k] >= t for k, t in TARGETS.items()) and max(x.cls for x in runs) <= CLS_TARGET
        rows.append(
            f"| {page} | {r.scores['performance']} ({min(perf)} to {max(perf)}) | {r.scores['accessibility']} | "
            f"{r.scores['best-practices']} | {max(x.cls for x in runs):.3f} | "
            + " | ".join(f"{r.metrics_ms[m]:,.0f}" for m in METRICS)
            + f" | {r.benchmark_index:.0f} | {percent(r.steal)} | {'yes' if met else '**no**'} |"
        )
    again = [
        f"{page} {r.scores['performance']} (steal {percent(r.steal)})"
        for page, runs in result.get("busy", {}).items()
        for r in runs
    ]
    desktop = [
        f"{page} {r.cls:.3f} (Performance {r.scores['performance']})" for page, r in result.get("desktop", {}).items()
    ]
    failing = [f"{page}, {f}" for page, runs in result["pages"].items() for f in median_run(runs).failing]
    return [
        "",
        HEADING,
        "",
        f"`bench/lighthouse.py` (also alone: `make lighthouse`): Lighthouse {result['version']} (npm, pinned in "
        f"`tools/lighthouse`), its default mobile preset (simulated slow 4G, 4x CPU slowdown), on Debian's "
        f"Chromium (`{CHROME_FLAGS}`), against the local stack with the demo data: `make web-build`'s production "
        "bundle served by `devstack/serve_web.py` as CloudFront serves it (brotli/gzip, immutable hashed assets, "
        "the distribution's security headers), the API from `chalice local` on DynamoDB Local. "
        f"Each page {result['runs']} times; the row is the run with the median Performance score (the range in "
        "brackets), CLS is the worst run's. Targets: Performance ≥ 90, Accessibility 100, Best Practices 100, "
        f"CLS ≤ {CLS_TARGET}. Times in ms (simulated). Lighthouse simulates the slow phone by multiplying the "
        "main-thread time it observes by 4, so on a busy host the blocking time it reports grows with the load: "
        "`benchmarkIndex` is Lighthouse's own measure of the host's speed during the run (an idle recent desktop "
        "scores about 1,000 to 2,000; lower means other work was sharing the CPU). Steal is the share of this "
        "VM's CPU time its hypervisor gave to others during the run (/proc/stat); a run with more than "
        f"{MAX_STEAL:.0%} stolen is measured again, with at most {MAX_ATTEMPTS_PER_RUN} attempts for each run counted.",
        "",
        "| page | Performance | Accessibility | Best Practices | CLS (worst) | FCP | LCP | TBT | Speed Index "
        "| benchmarkIndex | steal | Met |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
        *rows,
        "",
        "Runs measured again because the host was busy (not counted above): " + ("; ".join(again) or "none") + ".",
        "",
        "Audits below full marks that count towards a score, in the rows above: "
        + ("; ".join(failing) or "none")
        + ".",
        "",
        "CLS with Lighthouse's desktop preset (one run each; a wide window is where a scrollbar appearing "
        "used to shift the whole page): " + ("; ".join(desktop) or "not measured") + ".",
        "",
    ]


def write_section(lines: list[str], path: Path) -> None:
    """Replace this section of BENCHMARKS.md (up to the next `## `), or append it."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    before, found, after = text.partition(HEADING)
    rest = after[after.find("\n## ") :] if found and "\n## " in after else "\n" if found else ""
    body = "\n".join(lines).strip("\n")
    path.write_text(before.rstrip("\n") + "\n\n" + body + "\n" + rest.rstrip("\n") + "\n", encoding="utf-8")


def say(text: str) -> None:
    print(f"[lighthouse] {text}", file=sys.stderr, flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.lighthouse", description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--write", action="store_true", help="update this section of BENCHMARKS.md")
    parser.add_argument("--reuse", action="store_true", help="no new runs: the last run's reports in build/lighthouse")
    args = parser.parse_args()
    lines = section(reuse() if args.reuse else run(args.runs))
    if args.write:
        # BENCHMARKS.md's header names the `make bench` run; this section now comes from another one.
        lines[3:3] = [provenance(), ""]
    print("\n".join(lines))
    if args.write:
        write_section(lines, ROOT / "BENCHMARKS.md")


def provenance() -> str:
    newest = max((p.stat().st_mtime for p in REPORTS.glob("*.json")), default=None)
    when = datetime.fromtimestamp(newest, timezone.utc).strftime("%Y-%m-%d %H:%M UTC") if newest else "unknown"
    from bench.report import commit  # report imports this module

    return (
        f"This section alone was measured again with `make lighthouse` (runs finished {when}, commit "
        f"{commit()}), not in the `make bench` run the header names."
    )


if __name__ == "__main__":
    main()
